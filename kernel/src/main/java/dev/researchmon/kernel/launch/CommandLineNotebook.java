package dev.researchmon.kernel.launch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The notebook a batch run executes, from the command line of the process that started the kernel:
 * {@code jupyter nbconvert --execute NB.ipynb} or {@code papermill IN.ipynb OUT.ipynb} name it there,
 * while nbclient sets nothing in the kernel's environment. A run over several notebooks at once
 * cannot tell which one this kernel runs, and gives nothing.
 *
 * <pre>{@code
 * Optional<String> nb = CommandLineNotebook.of(List.of("/usr/bin/jupyter-nbconvert", "--execute", "a.ipynb"), cwd);
 * }</pre>
 */
public final class CommandLineNotebook {
    /** Options whose value is where output goes, not the notebook that runs. */
    private static final List<String> OUTPUT_OPTIONS = List.of("--output", "-o", "--output-dir");

    private CommandLineNotebook() {}

    /** The notebook that {@code argv} (run in {@code cwd}) executes, relative to {@code cwd} when inside it. */
    public static Optional<String> of(List<String> argv, Path cwd) {
        List<String> notebooks = new ArrayList<>();
        boolean papermill = false;
        for (int i = 0; i < argv.size(); i++) {
            String arg = argv.get(i);
            papermill |= arg.substring(arg.lastIndexOf('/') + 1).equals("papermill");
            boolean isOutput = i > 0 && OUTPUT_OPTIONS.contains(argv.get(i - 1));
            if (!arg.startsWith("-")
                    && !isOutput
                    && arg.toLowerCase(Locale.ROOT).endsWith(".ipynb")) {
                notebooks.add(arg);
            }
        }
        // papermill's second notebook is where the executed copy goes
        if (notebooks.isEmpty() || (notebooks.size() > 1 && !papermill)) {
            return Optional.empty();
        }
        return Optional.of(relativeTo(cwd, notebooks.get(0)));
    }

    /** The notebooks named on the command line of process {@code pid}, if this user may read it. */
    public static Optional<String> ofProcess(long pid) {
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        if (p.isEmpty()) {
            return Optional.empty();
        }
        ProcessHandle.Info info = p.get().info();
        List<String> argv = new ArrayList<>();
        info.command().ifPresent(argv::add);
        info.arguments().ifPresent(a -> argv.addAll(List.of(a)));
        Path cwd;
        try {
            cwd = Path.of("/proc", Long.toString(pid), "cwd").toRealPath();
        } catch (Exception e) {
            cwd = null;
        }
        return of(argv, cwd);
    }

    private static String relativeTo(Path cwd, String notebook) {
        Path nb = Path.of(notebook);
        if (cwd == null) {
            return nb.normalize().toString();
        }
        Path absolute = cwd.resolve(nb).normalize();
        return absolute.startsWith(cwd) ? cwd.relativize(absolute).toString() : absolute.toString();
    }
}
