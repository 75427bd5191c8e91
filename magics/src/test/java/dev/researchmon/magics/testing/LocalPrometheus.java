package dev.researchmon.magics.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Debian's Prometheus, started for a test on a free loopback port with a short scrape interval,
 * and stopped by its own process handle.
 *
 * <pre>{@code
 * try (LocalPrometheus prom = LocalPrometheus.start(dir, List.of("127.0.0.1:9464"))) {
 *   prom.awaitQuery("up{job=\"research\"} == 1", Duration.ofSeconds(30));
 * }
 * }</pre>
 */
public final class LocalPrometheus implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/bin/prometheus");

    private final Process process;
    private final URI url;
    private final HttpClient http = HttpClient.newHttpClient();

    private LocalPrometheus(Process process, URI url) {
        this.process = process;
        this.url = url;
    }

    /**
     * Starts Prometheus scraping itself (job {@code prometheus}) and {@code researchTargets} (job
     * {@code research}, the sidecar) every second.
     */
    public static LocalPrometheus start(Path dir, List<String> researchTargets) throws IOException, InterruptedException {
        return start(dir, researchTargets, "1s");
    }

    /** As above, scraping every {@code interval} (a Prometheus duration such as {@code 200ms}). */
    public static LocalPrometheus start(Path dir, List<String> researchTargets, String interval)
            throws IOException, InterruptedException {
        int port = freePort();
        Files.createDirectories(dir);
        String targets = researchTargets.stream().map(t -> "\"" + t + "\"").reduce((a, b) -> a + ", " + b).orElse("");
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: %s
                  scrape_timeout: %s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: prometheus
                    static_configs:
                      - targets: ["127.0.0.1:%d"]
                  - job_name: research
                    static_configs:
                      - targets: [%s]
                """.formatted(interval, interval, port, targets));
        Process p = new ProcessBuilder(BINARY.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();
        LocalPrometheus prom = new LocalPrometheus(p, URI.create("http://127.0.0.1:" + port));
        try {
            prom.awaitReady(Duration.ofSeconds(30));
        } catch (IOException | RuntimeException | InterruptedException e) {
            prom.close();
            throw e;
        }
        return prom;
    }

    public URI url() {
        return url;
    }

    private void awaitReady(Duration wait) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("prometheus exited with " + process.exitValue());
            }
            try {
                var r = http.send(HttpRequest.newBuilder(URI.create(url + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new IOException("prometheus not ready at " + url + " within " + wait);
    }

    /** Polls an instant query until it returns at least one series; returns the JSON answer. */
    public String awaitQuery(String promql, Duration wait) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = query(promql);
            if (last.contains("\"result\":[{")) {
                return last;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no result for " + promql + " within " + wait + "; last answer: " + last);
    }

    public String query(String promql) throws IOException, InterruptedException {
        URI q = URI.create(url + "/api/v1/query?query="
                + java.net.URLEncoder.encode(promql, java.nio.charset.StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(q).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Override
    public void close() {
        Processes.stop(process.toHandle());
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
