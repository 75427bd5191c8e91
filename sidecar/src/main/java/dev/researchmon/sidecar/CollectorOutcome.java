package dev.researchmon.sidecar;

/**
 * How a source's last collection went, as {@code sidecar_collector_success} and
 * {@code sidecar_collector_duration_seconds} show it.
 */
public record CollectorOutcome(boolean success, double durationSeconds) {
    /** Before a source's first collection. */
    public static final CollectorOutcome NOT_YET = new CollectorOutcome(false, 0);
}
