package dev.researchmon.magics.api;

/**
 * Who is reporting: the values of the {@code kernel_id} and {@code notebook} labels.
 *
 * @param kernelId the Jupyter kernel id (from the connection file name {@code kernel-<id>.json}),
 *                 or a generated one when the kernel was started without one
 * @param notebook the notebook's path as the Jupyter server knows it (relative to its root), or
 *                 {@code "unknown"} when nothing tells it; never empty in a running kernel
 * @param pid      the kernel's process id
 */
public record KernelIdentity(String kernelId, String notebook, long pid) {}
