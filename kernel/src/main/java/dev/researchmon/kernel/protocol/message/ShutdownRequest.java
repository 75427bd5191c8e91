package dev.researchmon.kernel.protocol.message;

/** {@code shutdown_request}. */
public record ShutdownRequest(Boolean restart) {
    public ShutdownRequest {
        restart = restart != null && restart;
    }
}
