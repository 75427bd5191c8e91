package dev.researchmon.ml.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Prometheus, started by a test on a free loopback port, scraping the given targets every
 * second; stopped by {@link #close()} through its own process handle.
 *
 * <p>Not the magics module's test-jar helper: depending on a test-jar would break every build of
 * the kernel (which depends on this module) run with {@code -Dmaven.test.skip=true}.
 */
public final class LocalPrometheus implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final URI base;
    private final Path dir;
    private final HttpClient http = HttpClient.newHttpClient();

    /** @param jobs job name to {@code host:port} target */
    public LocalPrometheus(Map<String, String> jobs) throws IOException {
        dir = Files.createTempDirectory("ml-prometheus-");
        StringBuilder config = new StringBuilder("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n");
        jobs.forEach((job, target) -> config.append("  - job_name: ").append(job)
                .append("\n    static_configs:\n      - targets: ['").append(target).append("']\n"));
        Files.writeString(dir.resolve("prometheus.yml"), config);
        int port = freePort();
        base = URI.create("http://127.0.0.1:" + port);
        process = new ProcessBuilder("prometheus",
                "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The value of an instant query that must return one series, or empty while it has none. */
    public OptionalDouble query(String promql) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException notUpYet) {
            return OptionalDouble.empty();
        }
        if (response.statusCode() == 503) {
            return OptionalDouble.empty(); // still starting: "Service Unavailable" until ready
        }
        if (response.statusCode() != 200) {
            throw new AssertionError("Prometheus answered " + response.statusCode() + " to " + promql + ": " + response.body());
        }
        JsonNode result = JSON.readTree(response.body()).path("data").path("result");
        if (result.size() != 1) {
            if (result.size() > 1) {
                throw new AssertionError("expected one series for " + promql + ", got " + result);
            }
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(Double.parseDouble(result.get(0).path("value").get(1).asText()));
    }

    /**
     * Polls until the query's value is {@code expected} (within a relative 1e-6: Prometheus keeps
     * doubles, DJL logs floats), and fails with the last value seen otherwise. Prometheus scrapes
     * about 5 s after it starts, then every second.
     */
    public void awaitValue(String promql, double expected, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        OptionalDouble last = OptionalDouble.empty();
        while (System.nanoTime() < deadline) {
            last = query(promql);
            if (last.isPresent() && Math.abs(last.getAsDouble() - expected) <= 1e-6 * Math.max(1, Math.abs(expected))) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(promql + ": expected " + expected + ", Prometheus had " + last + " after " + timeout
                + "; its log:\n" + Files.readString(dir.resolve("prometheus.log")));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
