package dev.researchmon.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A process a test starts and must stop: its output (stdout and stderr) goes to a log file, read
 * back to wait for a line and for failure messages, and {@link #close()} ends it and its
 * descendants by their own handles, politely first, then forcibly.
 *
 * <pre>{@code
 * try (ManagedProcess sidecar = ManagedProcess.start("sidecar",
 *         List.of(ManagedProcess.javaBinary(), "-jar", jar.toString(), "--port", "9464"), Map.of(), logDir)) {
 *     sidecar.awaitLine(Pattern.compile("metrics-sidecar listening on.*"), Duration.ofSeconds(30));
 * }
 * }</pre>
 */
public final class ManagedProcess implements AutoCloseable {
    /** How long a process gets to end on SIGTERM before it is killed. */
    private static final long GRACE_SECONDS = 10;

    private final String name;
    private final Process process;
    private final Path log;

    private ManagedProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} with {@code env} added to this JVM's environment, logging to {@code logDir/name.log}. */
    public static ManagedProcess start(String name, List<String> command, Map<String, String> env, Path logDir)
            throws IOException {
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.environment().putAll(env);
        return new ManagedProcess(name, builder.start(), log);
    }

    /** The {@code java} of the JVM running the tests, so children run on the same JDK. */
    public static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path logFile() {
        return log;
    }

    /** Writes one line to the process's stdin. */
    public void sendLine(String line) throws IOException {
        process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    /**
     * Waits for an output line that {@code pattern} matches as a whole; fails with the log's tail if
     * the time runs out or the process exits without printing one.
     */
    public Matcher awaitLine(Pattern pattern, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            // Read before checking liveness: a process that printed the line and exited still counts.
            boolean alive = process.isAlive();
            for (String line : lines()) {
                Matcher m = pattern.matcher(line);
                if (m.matches()) {
                    return m;
                }
            }
            if (!alive || System.nanoTime() > deadline) {
                throw new AssertionError(name + " did not print a line matching " + pattern + " within "
                        + timeout.toSeconds() + " s\n" + logTail(30));
            }
            Thread.sleep(100);
        }
    }

    /** Everything the process wrote so far. */
    public String output() {
        return String.join("\n", lines());
    }

    /** The last lines the process wrote, headed by its name and state, for failure messages. */
    public String logTail(int lines) {
        return "--- " + name + " (" + (process.isAlive() ? "running" : "exited " + process.exitValue()) + ") ---\n"
                + LogTail.of(log, lines);
    }

    private List<String> lines() {
        try {
            // Lenient decoding: a child may write a partial UTF-8 sequence at the moment we read.
            return new String(Files.readAllBytes(log), StandardCharsets.UTF_8)
                    .lines()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL, as a crashing process would die. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(GRACE_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        stop(process.toHandle());
    }

    /**
     * Stops a process by its handle (SIGTERM, SIGKILL after 10 s), then whichever of its descendants
     * outlived it. The parent goes first so that it can end its own children cleanly; descendants
     * are listed before, as they are re-parented (and no longer listed) once it exits.
     */
    public static void stop(ProcessHandle handle) {
        List<ProcessHandle> descendants = handle.descendants().toList();
        stopOne(handle);
        descendants.forEach(ManagedProcess::stopOne);
    }

    private static void stopOne(ProcessHandle handle) {
        if (!handle.isAlive()) {
            return;
        }
        handle.destroy();
        if (!exited(handle)) {
            handle.destroyForcibly();
            exited(handle);
        }
    }

    private static boolean exited(ProcessHandle handle) {
        try {
            handle.onExit().get(GRACE_SECONDS, TimeUnit.SECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception timedOut) {
            return false;
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
