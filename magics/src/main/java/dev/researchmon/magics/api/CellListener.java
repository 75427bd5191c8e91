package dev.researchmon.magics.api;

import java.time.Duration;

/**
 * Told about every cell the kernel executes. Implementations must be quick and must not throw:
 * they run on the cell's path.
 */
public interface CellListener {

    default void cellStarted(int executionCount) {}

    void cellFinished(int executionCount, CellOutcome outcome, Duration duration);

    /**
     * The kernel calls this one, with what the cell's threads used; a listener that needs only the
     * wall time implements the three-argument form.
     */
    default void cellFinished(int executionCount, CellOutcome outcome, CellUsage usage) {
        cellFinished(executionCount, outcome, usage.wall());
    }
}
