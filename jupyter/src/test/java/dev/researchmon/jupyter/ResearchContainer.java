package dev.researchmon.jupyter;

import dev.researchmon.testkit.FreePort;
import dev.researchmon.testkit.LocalPrometheus;
import dev.researchmon.testkit.containers.PodmanService;
import dev.researchmon.testkit.containers.TestImages;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The research image running as it does for a researcher (its entrypoint: the sidecar beside
 * JupyterLab on Jupyter Server 2), on free loopback ports of this machine, with Debian's Prometheus
 * on the host scraping its sidecar every second and its kernels pointed at that Prometheus. The
 * image used is the research image plus the conformance suite ({@code src/test/docker/Containerfile}).
 *
 * <pre>{@code
 * try (ResearchContainer research = ResearchContainer.start(tempDir)) {
 *     research.jupyterUrl();                          // http://127.0.0.1:PORT, token research.token()
 *     research.exec(Duration.ofMinutes(2), "jupyter", "--version");
 * }
 * }</pre>
 */
final class ResearchContainer implements AutoCloseable {
    static final String TEST_IMAGE = "localhost/research-monitor/jupyter-test:test";
    /** Where the kernel's Python checks are mounted in the container. */
    static final String PYTHON_TESTS = "/opt/research-tests/python";
    static final String NOTEBOOKS = "/opt/research-tests/notebooks";

    private final PodmanService podman;
    private final Container container;
    private final LocalPrometheus prometheus;
    private final URI jupyterUrl;
    private final URI sidecarUrl;
    private final String token;

    private ResearchContainer(PodmanService podman, Container container, LocalPrometheus prometheus,
                              URI jupyterUrl, URI sidecarUrl, String token) {
        this.podman = podman;
        this.container = container;
        this.prometheus = prometheus;
        this.jupyterUrl = jupyterUrl;
        this.sidecarUrl = sidecarUrl;
        this.token = token;
    }

    /** Builds the images (once per machine and change), starts the container and the host's Prometheus. */
    static ResearchContainer start(Path dir) throws Exception {
        long started = System.nanoTime();
        PodmanService podman = PodmanService.startShared();
        LocalPrometheus prometheus = null;
        Container container = null;
        try {
            String researchImage = TestImages.ensureResearchImage(podman);
            Path recipe = TestImages.repoRoot().resolve("jupyter/src/test/docker");
            podman.podmanOnImages(Duration.ofMinutes(10), "build", "--network", "host", "--format", "docker",
                    "--layers", "--build-arg", "RESEARCH_IMAGE=" + researchImage, "--tag", TEST_IMAGE,
                    "--file", recipe.resolve("Containerfile").toString(), recipe.toString());
            System.out.printf("jupyter ITs: images ready in %.0f s%n", (System.nanoTime() - started) / 1e9);

            int jupyterPort = FreePort.loopback();
            int sidecarPort = FreePort.loopback();
            int prometheusPort = FreePort.loopback();
            URI jupyterUrl = URI.create("http://127.0.0.1:" + jupyterPort);
            URI sidecarUrl = URI.create("http://127.0.0.1:" + sidecarPort);
            String token = UUID.randomUUID().toString();
            prometheus = LocalPrometheus.start(dir.resolve("prometheus"), prometheusPort,
                    LocalPrometheus.scrapeConfig("1s", Map.of("prometheus", List.of("127.0.0.1:" + prometheusPort),
                            "research", List.of(sidecarUrl.getAuthority()))), "--log.level=warn");

            Map<String, String> env = new HashMap<>();
            env.put("RESEARCH_BIND", "127.0.0.1");
            env.put("JUPYTER_PORT", Integer.toString(jupyterPort));
            env.put("SIDECAR_PORT", Integer.toString(sidecarPort));
            env.put("JUPYTER_TOKEN", token);
            env.put("RESEARCH_MONITOR_PROMETHEUS_URL", prometheus.url().toString());
            env.put("RESEARCH_KERNEL_NAME", "java");
            env.put("PYTHONDONTWRITEBYTECODE", "1");
            Path repo = TestImages.repoRoot();
            container = Container.start(podman, TEST_IMAGE, env, List.of(
                    repo.resolve("kernel/src/test/python") + ":" + PYTHON_TESTS + ":ro",
                    repo.resolve("notebooks") + ":" + NOTEBOOKS + ":ro"));
            ResearchContainer research = new ResearchContainer(podman, container, prometheus, jupyterUrl, sidecarUrl, token);
            research.awaitUp(jupyterUrl.resolve("/api"), Duration.ofMinutes(2));
            research.awaitUp(sidecarUrl.resolve("/-/healthy"), Duration.ofMinutes(1));
            System.out.printf("jupyter ITs: research container up in %.0f s in all%n", (System.nanoTime() - started) / 1e9);
            return research;
        } catch (Exception | Error e) {
            if (container != null) {
                System.out.println("container log:\n" + container.logs());
                container.close();
            }
            if (prometheus != null) {
                prometheus.close();
            }
            podman.close();
            throw e;
        }
    }

    private void awaitUp(URI url, Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(500);
        }
        throw new IOException(url + " did not answer within " + timeout.toSeconds() + " s; container log:\n"
                + container.logs());
    }

    URI jupyterUrl() {
        return jupyterUrl;
    }

    URI sidecarUrl() {
        return sidecarUrl;
    }

    String token() {
        return token;
    }

    LocalPrometheus prometheus() {
        return prometheus;
    }

    Container.Exit exec(Duration timeout, String... command) throws IOException, InterruptedException {
        return container.exec(timeout, command);
    }

    /** Runs a shell line in the container, in the folder of the kernel's Python checks. */
    Container.Exit shell(Duration timeout, String line) throws IOException, InterruptedException {
        return container.exec(timeout, "bash", "-c", "cd " + PYTHON_TESTS + " && " + line);
    }

    String logs() throws IOException, InterruptedException {
        return container.logs();
    }

    @Override
    public void close() throws Exception {
        try {
            container.close();
        } finally {
            try {
                prometheus.close();
            } finally {
                podman.close();
            }
        }
    }

    static boolean podmanInstalled() {
        return Files.isExecutable(Path.of("/usr/bin/podman")) && Files.isExecutable(Path.of("/usr/bin/mmdebstrap"));
    }
}
