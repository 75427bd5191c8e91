package dev.researchmon.sidecar.gpu;

/**
 * One XID critical-error event as NVML delivered it: the GPU it happened on and the XID code.
 *
 * <pre>{@code
 * XidEvent e = new XidEvent(0, "GPU-...", "NVIDIA H100", 79); // fell off the bus
 * }</pre>
 */
public record XidEvent(int gpu, String uuid, String name, long xid) {}
