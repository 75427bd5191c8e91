package dev.researchmon.sidecar.gpu;

/**
 * No NVML library could be loaded at all: no NVIDIA driver is installed here, or the configured
 * path is wrong. Unlike a driver that fails to initialise, this rarely changes while the sidecar
 * runs, so it is retried seldom ({@link GpuRefresher}).
 */
public final class NvmlLibraryMissingException extends GpuUnavailableException {
    public NvmlLibraryMissingException(String message, Throwable cause) {
        super(message, cause);
    }
}
