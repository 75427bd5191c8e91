package dev.researchmon.manager.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.researchmon.testkit.FreePort;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The research image's entrypoint, run outside the image against this checkout (its settings
 * default to the image's paths): the sidecar beside Jupyter, Jupyter's /metrics open to
 * Prometheus while its API still wants the token, and one TERM stopping both.
 */
class EntrypointIT {
    static final Path REPO =
            Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path jupyterDirs;

    @Test
    void entrypoint_servesJupyterMetricsAndSidecar_andStopsBothOnTerm() throws Exception {
        int jupyterPort = FreePort.loopback();
        int sidecarPort = FreePort.loopback();
        ProcessBuilder builder = new ProcessBuilder(
                        REPO.resolve("docker/entrypoint.sh").toString(),
                        "--allow-root",
                        "--notebook-dir=" + jupyterDirs)
                .redirectErrorStream(true)
                .redirectOutput(jupyterDirs.resolve("entrypoint.log").toFile());
        builder.environment()
                .putAll(java.util.Map.of(
                        "RESEARCH_HOME", REPO.toString(),
                        "RESEARCH_BIND", "127.0.0.1",
                        "JUPYTER", "/usr/bin/jupyter",
                        "JUPYTER_PORT", String.valueOf(jupyterPort),
                        "SIDECAR_PORT", String.valueOf(sidecarPort),
                        "JUPYTER_TOKEN", "entrypoint-it-token",
                        "JUPYTER_DATA_DIR", jupyterDirs.resolve("data").toString(),
                        "JUPYTER_CONFIG_DIR", jupyterDirs.resolve("config").toString(),
                        "JUPYTER_RUNTIME_DIR", jupyterDirs.resolve("runtime").toString()));
        Process entrypoint = builder.start();
        List<ProcessHandle> children = List.of();
        try {
            awaitStatus("http://127.0.0.1:" + sidecarPort + "/-/healthy", 200);
            HttpResponse<String> metrics = awaitStatus("http://127.0.0.1:" + jupyterPort + "/metrics", 200);
            assertTrue(
                    metrics.body().contains("http_request_duration_seconds"),
                    "Jupyter's own metrics: " + metrics.body());
            assertEquals(
                    403,
                    get("http://127.0.0.1:" + jupyterPort + "/api/kernels").statusCode(),
                    "the notebook API still needs the token");
            children = entrypoint.descendants().toList();
            assertTrue(children.size() >= 2, "sidecar and Jupyter run under the entrypoint");

            entrypoint.destroy(); // TERM, as docker stop sends
            assertTrue(entrypoint.waitFor(30, TimeUnit.SECONDS), "the entrypoint must stop on TERM");
            assertEquals(0, entrypoint.exitValue(), "a stop asked for is a clean exit");
            Instant deadline = Instant.now().plusSeconds(10);
            while (children.stream().anyMatch(ProcessHandle::isAlive)
                    && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
            }
            assertFalse(children.stream().anyMatch(ProcessHandle::isAlive), "sidecar and Jupyter stop with it");
        } finally {
            entrypoint.descendants().forEach(ProcessHandle::destroyForcibly);
            children.forEach(ProcessHandle::destroyForcibly);
            entrypoint.destroyForcibly();
        }
    }

    private static HttpResponse<String> awaitStatus(String url, int status) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            try {
                HttpResponse<String> response = get(url);
                if (response.statusCode() == status) {
                    return response;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(url + " did not answer " + status + " within 60 s");
            }
            Thread.sleep(250);
        }
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
