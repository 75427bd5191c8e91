package dev.researchmon.sidecar.gpu;

/**
 * NVML cannot be used at all: library missing, driver not loaded, init failed, no GPU. The message
 * says which, in words an operator can act on.
 */
public class GpuUnavailableException extends Exception {
    public GpuUnavailableException(String message) {
        super(message);
    }

    public GpuUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
