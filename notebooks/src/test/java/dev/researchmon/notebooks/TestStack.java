package dev.researchmon.notebooks;

import dev.researchmon.testkit.FreePort;
import dev.researchmon.testkit.LocalPrometheus;
import dev.researchmon.testkit.ManagedProcess;
import dev.researchmon.testkit.StubNvml;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a notebook needs around it, started for a test: the real sidecar (its jar, on a free port,
 * reading a stub NVML library compiled with gcc that reports one GPU), Debian's Prometheus
 * scraping it every 200 ms, and the kernelspec installed into a private Jupyter data dir.
 * Everything is stopped by its own handle in {@link #close()}.
 */
final class TestStack implements AutoCloseable {
    final Path dir;
    final Path home;
    final Path jupyterData;
    final URI sidecarUrl;
    final int deadPort;
    private ManagedProcess sidecar;
    private ManagedProcess nodeExporter;
    LocalPrometheus prometheus;

    private TestStack(Path dir, int sidecarPort, int deadPort) {
        this.dir = dir;
        this.home = dir.resolve("home");
        this.jupyterData = dir.resolve("jupyter");
        this.sidecarUrl = URI.create("http://127.0.0.1:" + sidecarPort);
        this.deadPort = deadPort;
    }

    static TestStack start(Path dir) throws Exception {
        return start(dir, false);
    }

    /**
     * With the host too, as the dashboard sees it: Debian's node-exporter scraped as job
     * {@code node-exporter}, and Prometheus evaluating the project's recording rules.
     */
    static TestStack startWithHost(Path dir) throws Exception {
        return start(dir, true);
    }

    private static TestStack start(Path dir, boolean host) throws Exception {
        TestStack stack = new TestStack(dir, FreePort.loopback(), FreePort.loopback());
        try {
            stack.installKernelspec();
            // an energy counter that grows: the Notebook costs row shares it (to idle, with no
            // notebook's process on the stub GPU)
            stack.startSidecar(Map.of("STUB_NVML_GPUS", "1", "STUB_NVML_ENERGY_GROWS", "1"));
            int port = FreePort.loopback();
            Map<String, List<String>> jobs = new HashMap<>(Map.of(
                    "prometheus", List.of("127.0.0.1:" + port), "research", List.of(stack.sidecarUrl.getAuthority())));
            String rules = "";
            if (host) {
                int exporterPort = FreePort.loopback();
                stack.nodeExporter = ManagedProcess.start(
                        "node-exporter",
                        List.of(
                                "/usr/bin/prometheus-node-exporter",
                                "--no-collector.systemd",
                                "--web.listen-address=127.0.0.1:" + exporterPort),
                        Map.of(),
                        dir);
                jobs.put("node-exporter", List.of("127.0.0.1:" + exporterPort));
                rules = "rule_files:\n  - " + Repo.root().resolve("monitoring/prometheus/rules/recording.yml") + "\n";
            }
            // node-exporter needs more than 200 ms per scrape on a busy machine: 1 s, where it is scraped
            stack.prometheus = LocalPrometheus.start(
                    dir.resolve("prometheus"),
                    port,
                    LocalPrometheus.scrapeConfig(host ? "1s" : "200ms", jobs) + rules,
                    "--log.level=warn");
            stack.prometheus.awaitSeries("up{job=\"research\"} == 1", Duration.ofSeconds(30));
            if (host) {
                stack.prometheus.awaitSeries("up{job=\"node-exporter\"} == 1", Duration.ofSeconds(30));
            }
        } catch (Exception | AssertionError e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    /** Only the sidecar, its stub NVML configured by {@code stubNvml} (see sidecar/src/test/c/nvml_stub.c). */
    /** The kernelspec and the sidecar, no Prometheus: for notebooks that look at their own outputs. */
    static TestStack kernelAndSidecar(Path dir) throws Exception {
        TestStack stack = sidecarOnly(dir, Map.of("STUB_NVML_GPUS", "1"));
        try {
            stack.installKernelspec();
        } catch (Exception e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    static TestStack sidecarOnly(Path dir, Map<String, String> stubNvml) throws Exception {
        TestStack stack = new TestStack(dir, FreePort.loopback(), FreePort.loopback());
        try {
            stack.startSidecar(stubNvml);
        } catch (Exception e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    /**
     * The environment a notebook's kernel gets from nbconvert or the Jupyter server that starts it.
     * No {@code JPY_SESSION_NAME}: the kernel finds its notebook itself (nbconvert's command line,
     * the server's sessions).
     */
    Map<String, String> kernelEnvironment() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("JUPYTER_DATA_DIR", jupyterData.toString());
        env.put("JUPYTER_CONFIG_DIR", dir.resolve("jupyter-config").toString());
        env.put("JUPYTER_RUNTIME_DIR", dir.resolve("jupyter-runtime").toString());
        env.put("RESEARCH_MONITOR_HOME", home.toString());
        env.put("RESEARCH_MONITOR_SIDECAR_URL", sidecarUrl.toString());
        if (prometheus != null) {
            env.put("RESEARCH_MONITOR_PROMETHEUS_URL", prometheus.url().toString());
        }
        // Grafana is not packaged for this machine: %dashboard must cope with it being down.
        env.put("RESEARCH_MONITOR_GRAFANA_URL", "http://127.0.0.1:" + deadPort);
        return env;
    }

    private void installKernelspec() throws IOException, InterruptedException {
        Map<String, String> env = Map.of("JUPYTER_DATA_DIR", jupyterData.toString());
        run(
                List.of(ManagedProcess.javaBinary(), "-jar", Repo.kernelJar().toString(), "install", "--user"),
                env,
                dir.resolve("install.log"));
    }

    private void startSidecar(Map<String, String> stubNvml) throws IOException, InterruptedException {
        Path nvml = StubNvml.compiled();
        Files.createDirectories(home);
        Map<String, String> env = new HashMap<>(stubNvml);
        env.put("RESEARCH_MONITOR_HOME", home.toString());
        sidecar = ManagedProcess.start(
                "sidecar",
                List.of(
                        ManagedProcess.javaBinary(),
                        "-Xmx128m",
                        "-jar",
                        Repo.sidecarJar().toString(),
                        "--port",
                        Integer.toString(sidecarUrl.getPort()),
                        "--bind",
                        "127.0.0.1",
                        "--nvml-library",
                        nvml.toString()),
                env,
                dir);
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!sidecar.isAlive()) {
                throw new IOException("sidecar exited: " + sidecar.output());
            }
            try {
                if (http.send(
                                        HttpRequest.newBuilder(URI.create(sidecarUrl + "/-/healthy"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(100);
        }
        throw new IOException("sidecar not healthy at " + sidecarUrl);
    }

    /** Runs a command to completion (at most 2 minutes), failing with its output. */
    static void run(List<String> command, Map<String, String> env, Path log) throws IOException, InterruptedException {
        ProcessBuilder pb =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IOException(
                        String.join(" ", command) + " failed:\n" + Files.readString(log, StandardCharsets.UTF_8));
            }
        } finally {
            ManagedProcess.stop(p.toHandle());
        }
    }

    @Override
    public void close() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (sidecar != null) {
            sidecar.close();
        }
        if (nodeExporter != null) {
            nodeExporter.close();
        }
    }
}
