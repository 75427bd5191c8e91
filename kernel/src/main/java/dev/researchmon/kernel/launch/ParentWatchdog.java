package dev.researchmon.kernel.launch;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Ends the kernel when the process that started it is gone, as ipykernel does: a Jupyter server or
 * client killed with SIGKILL cannot shut its kernels down, and a JVM left behind holds memory and,
 * in a running cell, a core. Watched only when Jupyter names the starter ({@code JPY_PARENT_PID});
 * the starter is gone when its pid no longer runs the process it ran at start (pids are reused) or
 * when this kernel was handed to another parent.
 *
 * <pre>{@code
 * ParentWatchdog.fromEnvironment(System.getenv(), Duration.ofSeconds(1), () -> System.exit(0))
 *         .ifPresent(ParentWatchdog::start);
 * }</pre>
 */
public final class ParentWatchdog {
    private final BooleanSupplier starterGone;
    private final Duration every;
    private final Runnable onGone;
    private final Thread thread;

    ParentWatchdog(BooleanSupplier starterGone, Duration every, Runnable onGone) {
        this.starterGone = starterGone;
        this.every = every;
        this.onGone = onGone;
        this.thread = new Thread(this::watch, "parent-watchdog");
        this.thread.setDaemon(true);
    }

    /**
     * A watchdog over {@code JPY_PARENT_PID}, or empty when it is not set, is 1 (init never goes
     * away, it only adopts) or names no running process.
     */
    public static Optional<ParentWatchdog> fromEnvironment(Map<String, String> env, Duration every, Runnable onGone) {
        long pid;
        try {
            pid = Long.parseLong(env.getOrDefault("JPY_PARENT_PID", "").strip());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        Optional<ProcessHandle> starter = ProcessHandle.of(pid);
        if (pid <= 1 || starter.isEmpty()) {
            return Optional.empty();
        }
        Optional<Instant> startedAt = starter.get().info().startInstant();
        long parentAtStart = parentPid();
        BooleanSupplier gone = () -> {
            Optional<ProcessHandle> now = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
            return now.isEmpty()
                    || (startedAt.isPresent()
                            && !startedAt.equals(now.get().info().startInstant()))
                    || parentPid() != parentAtStart;
        };
        return Optional.of(new ParentWatchdog(gone, every, onGone));
    }

    public void start() {
        thread.start();
    }

    private void watch() {
        try {
            while (!starterGone.getAsBoolean()) {
                Thread.sleep(every.toMillis());
            }
        } catch (InterruptedException e) {
            return;
        }
        onGone.run();
    }

    private static long parentPid() {
        return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
    }
}
