package dev.researchmon.manager.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.researchmon.manager.ManagerException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Starts detached processes with their output in {@code logs/<part>.log} and a pid record in
 * {@code run/<part>.json}, finds them again from another invocation, and stops them cleanly
 * (TERM, then KILL after a grace period, children included).
 *
 * <pre>{@code
 * ProcessSupervisor supervisor = new ProcessSupervisor(stateDir);
 * supervisor.start("prometheus", List.of("/usr/bin/prometheus", ...), Map.of(), 9090);
 * supervisor.running("prometheus");   // Optional of the live process
 * supervisor.stop("prometheus");
 * }</pre>
 */
public final class ProcessSupervisor {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final Path runDir;
    private final Path logDir;
    private final Path workDir;

    public ProcessSupervisor(Path stateDir) {
        this.runDir = stateDir.resolve("run");
        this.logDir = stateDir.resolve("logs");
        this.workDir = stateDir;
    }

    public Path logFile(String part) {
        return logDir.resolve(part + ".log");
    }

    /** The last {@code lines} lines of a part's log (why it exited, say); empty when there is none to read. */
    public List<String> logTail(String part, int lines) {
        try {
            List<String> all = Files.readAllLines(logFile(part));
            return List.copyOf(all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Starts a process in its own session (so a Ctrl-C at the manager's terminal leaves it alone). */
    public ProcessHandle start(String part, List<String> command, Map<String, String> environment, int port) {
        List<String> argv = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            argv.add(SETSID.toString()); // execs in place: the pid stays the one we record
        }
        argv.addAll(command);
        try {
            Files.createDirectories(runDir);
            Files.createDirectories(logDir);
            ProcessBuilder builder = new ProcessBuilder(argv)
                    .directory(workDir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(
                            ProcessBuilder.Redirect.appendTo(logFile(part).toFile()));
            builder.environment().putAll(environment);
            Process process = builder.start();
            ProcessHandle handle = process.toHandle();
            long started =
                    handle.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
            JSON.writeValue(record(part).toFile(), new PidRecord(handle.pid(), started, port, command));
            return handle;
        } catch (IOException e) {
            throw new ManagerException("cannot start " + part + " (" + command.get(0) + "): " + e.getMessage(), e);
        }
    }

    /** The recorded process of a part if it is still the same live process. */
    public Optional<ProcessHandle> running(String part) {
        return readRecord(part).flatMap(r -> ProcessHandle.of(r.pid()).filter(h -> sameProcess(h, r)));
    }

    public Optional<PidRecord> readRecord(String part) {
        Path file = record(part);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), PidRecord.class));
        } catch (IOException e) {
            return Optional.empty(); // an unreadable record names no process we could safely stop
        }
    }

    /** Stops a part's process and its children; returns false when it was not running. */
    public boolean stop(String part) {
        Optional<ProcessHandle> process = running(part);
        process.ifPresent(ProcessSupervisor::terminate);
        try {
            Files.deleteIfExists(record(part));
        } catch (IOException e) {
            throw new ManagerException("cannot remove " + record(part) + ": " + e.getMessage(), e);
        }
        return process.isPresent();
    }

    /** Removes the record of a part whose process is gone. */
    public void forgetIfDead(String part) {
        if (readRecord(part).isPresent() && running(part).isEmpty()) {
            try {
                Files.deleteIfExists(record(part));
            } catch (IOException ignored) {
                // a stale record is harmless: running() never trusts it without a live process
            }
        }
    }

    private static void terminate(ProcessHandle process) {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        if (!waitFor(process)) {
            process.destroyForcibly();
            waitFor(process);
        }
        // Jupyter stops its kernels on TERM; whatever outlived its parent is stopped here.
        for (ProcessHandle child : children) {
            if (child.isAlive()) {
                child.destroy();
                if (!waitFor(child)) {
                    child.destroyForcibly();
                }
            }
        }
    }

    private static boolean waitFor(ProcessHandle process) {
        try {
            process.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return !process.isAlive();
        }
    }

    private static boolean sameProcess(ProcessHandle handle, PidRecord record) {
        if (!handle.isAlive()) {
            return false;
        }
        long started = handle.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        // start times from /proc have a clock-tick resolution; a reused pid starts much later
        return Math.abs(started - record.startedAtMillis()) < 2_000;
    }

    private Path record(String part) {
        return runDir.resolve(part + ".json");
    }
}
