package dev.researchmon.sidecar.notebook;

/** Who a kernel is, for labelling: the {@code kernel_id} and {@code notebook} label values. */
public record KernelRef(String kernelId, String notebook) {}
