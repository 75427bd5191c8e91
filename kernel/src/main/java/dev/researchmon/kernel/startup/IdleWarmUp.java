package dev.researchmon.kernel.startup;

import dev.researchmon.kernel.language.JavaKernel;
import java.io.PrintStream;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Once JShell has started, and only if the kernel is still idle, the user's JShell runs a few
 * throw-away snippets ({@code JShellEvaluator.warmUp}) so that a first cell typed later does not pay
 * for JShell's first compile. One short task, once: a kernel that is never used spends about a
 * quarter of a CPU-second on it, and nothing after that. A first cell that was sent at once (Run
 * All) is not delayed, since the kernel is not idle then and the warm-up is skipped.
 *
 * <pre>{@code
 * IdleWarmUp.start(java, () -> protocol.idleFor(IdleWarmUp.QUIET), log);
 * }</pre>
 */
public final class IdleWarmUp {
    /** How long the kernel must have had no request before the warm-up runs. */
    public static final Duration QUIET = Duration.ofMillis(200);

    private IdleWarmUp() {}

    /** Starts the one-shot warm-up thread; it waits for JShell without polling. */
    public static void start(JavaKernel java, BooleanSupplier idle, PrintStream log) {
        Thread t = new Thread(
                () -> {
                    try {
                        if (!java.awaitStarted()) {
                            return;
                        }
                        Thread.sleep(QUIET.toMillis());
                        if (idle.getAsBoolean()) {
                            java.warmUpEvaluator();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (Throwable e) {
                        // an optimisation: whatever went wrong (out of memory included) is one line in the
                        // kernel's log, never a trace in the user's notebook, where System.err now goes
                        log.println("research-kernel: the warm-up at start gave up (no harm done): " + e);
                    }
                },
                "kernel-warm-up");
        t.setDaemon(true);
        t.start();
    }
}
