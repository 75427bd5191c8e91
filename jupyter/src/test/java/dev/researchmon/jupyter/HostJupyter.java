package dev.researchmon.jupyter;

import dev.researchmon.testkit.FreePort;
import dev.researchmon.testkit.HttpWait;
import dev.researchmon.testkit.JupyterServer;
import dev.researchmon.testkit.LocalPrometheus;
import dev.researchmon.testkit.ManagedProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * This machine's own Jupyter (Debian bookworm's classic notebook server) with the research kernel
 * installed into a private data dir, the metrics sidecar and Debian's Prometheus scraping it every
 * second, all on free loopback ports, every process stopped by its own handle in {@link #close()}.
 *
 * <pre>{@code
 * try (HostJupyter jupyter = HostJupyter.start(tempDir)) {
 *     ClassicNotebookPage.open(driver, jupyter.url(), jupyter.token());
 * }
 * }</pre>
 */
final class HostJupyter implements AutoCloseable {
    private final Path dir;
    private ManagedProcess sidecar;
    private LocalPrometheus prometheus;
    private JupyterServer notebook;

    private HostJupyter(Path dir) {
        this.dir = dir;
    }

    static HostJupyter start(Path dir) throws Exception {
        HostJupyter jupyter = new HostJupyter(dir);
        try {
            jupyter.startAll();
        } catch (Exception | Error e) {
            jupyter.close();
            throw e;
        }
        return jupyter;
    }

    private void startAll() throws Exception {
        Path repo =
                Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
        Path home = Files.createDirectories(dir.resolve("home"));
        Path data = dir.resolve("jupyter-data");
        Map<String, String> jupyterDirs = Map.of(
                "JUPYTER_DATA_DIR",
                data.toString(),
                "JUPYTER_CONFIG_DIR",
                dir.resolve("jupyter-config").toString(),
                "JUPYTER_RUNTIME_DIR",
                dir.resolve("jupyter-runtime").toString());
        try (ManagedProcess install = ManagedProcess.start(
                "kernel-install",
                List.of(repo.resolve("bin/research-kernel").toString(), "install", "--user"),
                jupyterDirs,
                dir)) {
            if (install.process().waitFor() != 0) {
                throw new IOException("kernelspec install failed: " + install.output());
            }
        }

        URI sidecarUrl = URI.create("http://127.0.0.1:" + FreePort.loopback());
        sidecar = ManagedProcess.start(
                "sidecar",
                List.of(
                        ManagedProcess.javaBinary(),
                        "-Xmx128m",
                        "-jar",
                        repo.resolve("sidecar/target/metrics-sidecar.jar").toString(),
                        "--port",
                        Integer.toString(sidecarUrl.getPort()),
                        "--bind",
                        "127.0.0.1"),
                Map.of("RESEARCH_MONITOR_HOME", home.toString()),
                dir);
        HttpWait.awaitOk(sidecarUrl.resolve("/-/healthy"), Duration.ofMinutes(2), sidecar);
        int prometheusPort = FreePort.loopback();
        prometheus = LocalPrometheus.scrapingSidecar(dir.resolve("prometheus"), prometheusPort, sidecarUrl);

        Map<String, String> env = new HashMap<>(jupyterDirs);
        env.put("RESEARCH_MONITOR_HOME", home.toString());
        env.put("RESEARCH_MONITOR_SIDECAR_URL", sidecarUrl.toString());
        env.put("RESEARCH_MONITOR_PROMETHEUS_URL", prometheus.url().toString());
        env.put("RESEARCH_MONITOR_GRAFANA_URL", "http://127.0.0.1:" + FreePort.loopback());
        notebook = JupyterServer.start(Files.createDirectories(dir.resolve("work")), env, dir);
    }

    URI url() {
        return notebook.url();
    }

    String token() {
        return notebook.token();
    }

    LocalPrometheus prometheus() {
        return prometheus;
    }

    @Override
    public void close() {
        // Jupyter first: it stops its kernels, which report to the sidecar until they go
        for (AutoCloseable part : new AutoCloseable[] {notebook, prometheus, sidecar}) {
            if (part != null) {
                try {
                    part.close();
                } catch (Exception e) {
                    // stop the others all the same
                }
            }
        }
    }
}
