package dev.researchmon.magics.api;

import java.time.Duration;

/**
 * Told about every cell the kernel executes. Implementations must be quick and must not throw:
 * {@code cellStarted} and {@code cellFinished} run on the cell's path, before its reply.
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

    /**
     * After the cell's reply and idle status have gone out, on the same thread and before the next
     * request: for work the user need not wait for, such as recording into metrics. Output
     * published here arrives after the idle status, where clients no longer look for it.
     */
    default void cellAnswered(int executionCount) {}
}
