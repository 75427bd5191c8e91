package dev.researchmon.magics.api;

/**
 * Who is reporting: the values of the {@code kernel_id} and {@code notebook} labels.
 *
 * @param kernelId the Jupyter kernel id (from the connection file name {@code kernel-<id>.json}),
 *                 or a generated one when the kernel was started without one
 * @param notebook the notebook's path or name when the Jupyter server tells it
 *                 ({@code JPY_SESSION_NAME}), else {@code ""}
 * @param pid      the kernel's process id
 */
public record KernelIdentity(String kernelId, String notebook, long pid) {
}
