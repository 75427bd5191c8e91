package dev.researchmon.kernel.launch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The value of this kernel's {@code notebook} label, however the kernel was started, asked afresh
 * at most every {@link #REFRESH} so that a notebook renamed in the UI is followed on the next report:
 * <ol>
 *   <li>the Jupyter server that runs the kernel (found through its runtime file) names the session
 *       whose kernel has this kernel's id: the path relative to the server's root, as its UI shows
 *       it (Notebook 6 and 7, JupyterLab, Voilà-like front ends on a Jupyter server);</li>
 *   <li>else {@code JPY_SESSION_NAME}, which Jupyter Server 2 sets (an absolute path, not renamed)
 *       and which scripts may set by hand;</li>
 *   <li>else the notebook named on the command line of the process that started the kernel
 *       ({@code jupyter nbconvert --execute NB.ipynb}, {@code papermill IN OUT});</li>
 *   <li>else {@value #UNKNOWN}: the label is never empty.</li>
 * </ol>
 *
 * <pre>{@code
 * NotebookName name = NotebookName.forKernel(kernelId, connectionFile, System.getenv());
 * String notebook = name.get();   // "analysis/run 1.ipynb"
 * }</pre>
 */
public final class NotebookName implements Supplier<String> {
    public static final String UNKNOWN = "unknown";
    /** How long an answer is reused: reports go out every few seconds, renames are rare. */
    static final Duration REFRESH = Duration.ofSeconds(2);

    private static final Duration SERVER_TIMEOUT = Duration.ofSeconds(1);

    private final String kernelId;
    private final Supplier<List<JupyterServer>> servers;
    private final Function<JupyterServer, Optional<String>> sessionPath;
    private final Optional<String> sessionName;
    private final Supplier<Optional<String>> commandLine;
    private final LongSupplier nanoClock;
    private String cached;
    private long cachedAt;
    private Optional<String> commandLineAnswer;

    NotebookName(
            String kernelId,
            Supplier<List<JupyterServer>> servers,
            Function<JupyterServer, Optional<String>> sessionPath,
            Optional<String> sessionName,
            Supplier<Optional<String>> commandLine,
            LongSupplier nanoClock) {
        this.kernelId = kernelId;
        this.servers = servers;
        this.sessionPath = sessionPath;
        this.sessionName = sessionName.filter(s -> !s.isBlank());
        this.commandLine = commandLine;
        this.nanoClock = nanoClock;
    }

    /** The notebook of the kernel with {@code kernelId}, started with {@code connectionFile} and {@code env}. */
    public static NotebookName forKernel(String kernelId, Path connectionFile, Map<String, String> env) {
        List<Path> dirs = JupyterServer.runtimeDirs(connectionFile, env);
        long starter = starterPid(env);
        SessionLookup lookup = new SessionLookup(SERVER_TIMEOUT);
        return new NotebookName(
                kernelId,
                () -> liveServers(JupyterServer.findAll(dirs), starter),
                server -> lookup.notebookOf(server, kernelId),
                Optional.ofNullable(env.get("JPY_SESSION_NAME")),
                () -> starter > 0 ? CommandLineNotebook.ofProcess(starter) : Optional.empty(),
                System::nanoTime);
    }

    /** The label's value now; at most every {@link #REFRESH} this asks the server again. */
    @Override
    public synchronized String get() {
        long now = nanoClock.getAsLong();
        if (cached == null || now - cachedAt >= REFRESH.toNanos()) {
            cached = resolve();
            cachedAt = now;
        }
        return cached;
    }

    private String resolve() {
        for (JupyterServer server : servers.get()) {
            Optional<String> path = sessionPath.apply(server);
            if (path.isPresent()) {
                return path.get();
            }
        }
        if (sessionName.isPresent()) {
            return sessionName.get();
        }
        if (commandLineAnswer == null) {
            // the starter's command line does not change: read it once
            commandLineAnswer = commandLine.get();
        }
        return commandLineAnswer.orElse(UNKNOWN);
    }

    /** The process that started the kernel, as Jupyter tells it ({@code JPY_PARENT_PID}), else the parent. */
    static long starterPid(Map<String, String> env) {
        try {
            return Long.parseLong(env.getOrDefault("JPY_PARENT_PID", "").strip());
        } catch (NumberFormatException e) {
            return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
        }
    }

    /** Servers whose process still runs (runtime files of crashed servers stay), the starter first. */
    static List<JupyterServer> liveServers(List<JupyterServer> found, long starter) {
        return found.stream()
                .filter(s -> s.pid() <= 0
                        || ProcessHandle.of(s.pid()).map(ProcessHandle::isAlive).orElse(false))
                .sorted(Comparator.comparing(s -> s.pid() != starter))
                .toList();
    }
}
