package dev.researchmon.magics.api;

import java.time.Duration;

/**
 * Told about every cell the kernel executes. Implementations must be quick and must not throw:
 * they run on the cell's path.
 */
public interface CellListener {

    default void cellStarted(int executionCount) {
    }

    void cellFinished(int executionCount, CellOutcome outcome, Duration duration);
}
