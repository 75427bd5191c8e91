package dev.researchmon.kernel.rehearsal;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * When a rehearsal at start may take its next step: whenever {@code mayRun} says so (in the kernel,
 * no request for a while and JShell started), until a deadline. The kernel's rehearsals
 * ({@code ProtocolRehearsal}, {@code JShellRehearsal}) share one, so that they wait alike and stop
 * together.
 *
 * <pre>{@code
 * IdleTurns turns = IdleTurns.within(Duration.ofSeconds(60), () -> protocol.idleFor(QUIET));
 * while (turns.await()) { ...one practice step... }
 * }</pre>
 */
public final class IdleTurns {
    /** How often a waiting rehearsal asks again: short beside a user's pause, long beside a cell. */
    private static final long PAUSE_MILLIS = 25;

    private final long deadlineNanos;
    private final BooleanSupplier mayRun;

    private IdleTurns(long deadlineNanos, BooleanSupplier mayRun) {
        this.deadlineNanos = deadlineNanos;
        this.mayRun = mayRun;
    }

    /** Turns from now until {@code limit} has passed. */
    public static IdleTurns within(Duration limit, BooleanSupplier mayRun) {
        return new IdleTurns(System.nanoTime() + limit.toNanos(), mayRun);
    }

    /** Waits while the kernel has work; true when a step may run, false once the deadline has passed. */
    public boolean await() throws InterruptedException {
        while (!expired()) {
            if (mayRun.getAsBoolean()) {
                return true;
            }
            Thread.sleep(PAUSE_MILLIS);
        }
        return false;
    }

    /** Whether the deadline has passed. */
    public boolean expired() {
        return System.nanoTime() >= deadlineNanos;
    }
}
