package dev.researchmon.manager;

/**
 * What {@code --status} shows for one part of the stack: its URL and whether it is healthy.
 *
 * <pre>{@code
 * new PartStatus("prometheus", "http://127.0.0.1:9090/-/healthy", PartStatus.State.HEALTHY, "pid 4242");
 * }</pre>
 */
public record PartStatus(String part, String url, State state, String detail) {
    public enum State {
        /** running and its health endpoint answers 2xx */
        HEALTHY,
        /** running, but its health endpoint does not answer (yet) */
        UNHEALTHY,
        /** not running */
        STOPPED,
        /** cannot run in this runtime; detail says why */
        NOT_AVAILABLE
    }

    public boolean healthy() {
        return state == State.HEALTHY;
    }
}
