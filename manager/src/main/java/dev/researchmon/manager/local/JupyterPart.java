package dev.researchmon.manager.local;

import dev.researchmon.manager.ManagerException;
import dev.researchmon.report.TokenFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Jupyter notebook server with the research kernel installed into the state folder's
 * Jupyter data dir; its token is kept in {@code jupyter/token} (owner only), so the URL stays the
 * same across restarts.
 */
final class JupyterPart implements LocalPart {
    static final Path JUPYTER = Path.of("/usr/bin/jupyter");
    /** JupyterLab 4 on Jupyter Server 2 (Debian trixie's jupyterlab), preferred where installed. */
    static final Path JUPYTER_LAB = Path.of("/usr/bin/jupyter-lab");

    private final Path lab;

    JupyterPart() {
        this(JUPYTER_LAB);
    }

    /** @param lab where {@code jupyter-lab} would be; the classic notebook is started when it is not there */
    JupyterPart(Path lab) {
        this.lab = lab;
    }

    /** Whether this part starts JupyterLab rather than the classic notebook. */
    boolean startsLab() {
        return Files.isExecutable(lab);
    }

    @Override
    public String name() {
        return "jupyter";
    }

    @Override
    public List<Path> needs(LocalContext context) {
        return List.of(startsLab() ? lab : JUPYTER);
    }

    @Override
    public void prepare(LocalContext context) {
        installKernel(context);
    }

    @Override
    public List<String> command(LocalContext context, int port) {
        Path notebooks = context.repoRoot().resolve("notebooks");
        // JupyterLab runs on Jupyter Server (ServerApp), the classic notebook is its own NotebookApp
        List<String> start = startsLab() ? List.of(lab.toString()) : List.of(JUPYTER.toString(), "notebook");
        String app = startsLab() ? "ServerApp" : "NotebookApp";
        List<String> command = new java.util.ArrayList<>(start);
        command.addAll(List.of(
                "--no-browser",
                "--ip=127.0.0.1",
                "--port=" + port,
                "--port-retries=0",
                // Jupyter refuses root without this; the Docker image runs it as a plain user
                "--allow-root",
                // Prometheus scrapes /metrics without a login, as in the research image
                "--" + app + ".authenticate_prometheus=False",
                "--notebook-dir=" + (Files.isDirectory(notebooks) ? notebooks : context.stateDir())));
        return command;
    }

    @Override
    public Map<String, String> environment(LocalContext context) {
        Map<String, String> env = new LinkedHashMap<>(jupyterDirs(context));
        env.put("JUPYTER_TOKEN", token(context)); // in the environment, not argv, where ps would show it
        // kernels inherit these: %monitoring reports to this sidecar, %metrics asks this Prometheus
        if (context.ports().containsKey("sidecar")) {
            env.put("RESEARCH_MONITOR_SIDECAR_URL", "http://127.0.0.1:" + context.port("sidecar"));
        }
        if (context.ports().containsKey("prometheus")) {
            env.put("RESEARCH_MONITOR_PROMETHEUS_URL", "http://127.0.0.1:" + context.port("prometheus"));
        }
        return env;
    }

    @Override
    public String statusDetail(LocalContext context) {
        return (startsLab() ? "JupyterLab (" + lab + ")" : "classic notebook (" + JUPYTER + " notebook)")
                + ", token in " + tokenFile(context);
    }

    static Path tokenFile(LocalContext context) {
        return context.stateDir().resolve("jupyter/token");
    }

    private static String token(LocalContext context) {
        Path file = tokenFile(context);
        try {
            return TokenFile.readOrCreate(file);
        } catch (IOException e) {
            throw new ManagerException("cannot keep the Jupyter token in " + file + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> jupyterDirs(LocalContext context) {
        Path jupyter = context.stateDir().resolve("jupyter");
        return Map.of(
                "JUPYTER_DATA_DIR",
                jupyter.resolve("data").toString(),
                "JUPYTER_CONFIG_DIR",
                jupyter.resolve("config").toString(),
                "JUPYTER_RUNTIME_DIR",
                jupyter.resolve("runtime").toString());
    }

    /** Installs the research kernel into the state folder's Jupyter data dir, where this server looks. */
    private void installKernel(LocalContext context) {
        Path launcher = context.repoRoot().resolve("bin/research-kernel");
        Path jar = context.repoRoot().resolve("kernel/target/research-kernel.jar");
        Path log = context.logFile(name());
        if (!Files.isExecutable(launcher) || !Files.exists(jar)) {
            context.out().println("jupyter: the research kernel is not built (" + jar + "); run bin/setup to add it");
            return;
        }
        ProcessBuilder install = new ProcessBuilder(launcher.toString(), "install", "--user")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        install.environment().putAll(jupyterDirs(context));
        try {
            Files.createDirectories(log.getParent());
            Process process = install.start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new ManagerException("installing the research kernel took over 60 s; see " + log);
            }
            if (process.exitValue() != 0) {
                throw new ManagerException(
                        "installing the research kernel failed (exit " + process.exitValue() + "); see " + log);
            }
        } catch (IOException e) {
            throw new ManagerException("cannot run " + launcher + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ManagerException("interrupted while installing the research kernel", e);
        }
    }
}
