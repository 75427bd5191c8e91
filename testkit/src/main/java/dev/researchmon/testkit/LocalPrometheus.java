package dev.researchmon.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Debian's Prometheus ({@code /usr/bin/prometheus}) started for a test on a loopback port with a
 * given configuration and its TSDB in the test's folder, ready to answer queries when
 * {@link #start} returns, and stopped by its own handle in {@link #close()}.
 *
 * <pre>{@code
 * int port = FreePort.loopback();
 * String config = LocalPrometheus.scrapeConfig("1s", Map.of(
 *         "prometheus", List.of("127.0.0.1:" + port), "research", List.of("127.0.0.1:9464")));
 * try (LocalPrometheus prom = LocalPrometheus.start(tempDir, port, config)) {
 *     JsonNode series = prom.awaitSeries("up{job=\"research\"} == 1", Duration.ofSeconds(30));
 * }
 * }</pre>
 */
public final class LocalPrometheus implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/bin/prometheus");
    /** Readiness, not health: /-/healthy answers before the TSDB is open, and queries need it open. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ManagedProcess process;
    private final URI url;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private LocalPrometheus(ManagedProcess process, URI url) {
        this.process = process;
        this.url = url;
    }

    /**
     * A Prometheus on {@code port} scraping itself and, as job {@code research}, a sidecar at
     * {@code sidecarUrl}, every second: what the tests of a notebook's path to Prometheus need.
     */
    public static LocalPrometheus scrapingSidecar(Path dir, int port, URI sidecarUrl)
            throws IOException, InterruptedException {
        return start(
                dir,
                port,
                scrapeConfig(
                        "1s",
                        Map.of(
                                "prometheus",
                                List.of("127.0.0.1:" + port),
                                "research",
                                List.of(sidecarUrl.getAuthority()))),
                "--log.level=warn");
    }

    /**
     * Starts Prometheus listening on {@code 127.0.0.1:port} with {@code configYaml} (written to
     * {@code dir/prometheus.yml}), its TSDB in {@code dir/data} and its log in
     * {@code dir/prometheus.log}, plus any extra {@code flags}; returns once {@code /-/ready}
     * answers 200, and stops it if it does not within 30 s.
     */
    public static LocalPrometheus start(Path dir, int port, String configYaml, String... flags)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path config = Files.writeString(dir.resolve("prometheus.yml"), configYaml);
        List<String> command = new ArrayList<>(List.of(
                BINARY.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port));
        command.addAll(List.of(flags));
        LocalPrometheus prometheus = new LocalPrometheus(
                ManagedProcess.start("prometheus", command, Map.of(), dir), URI.create("http://127.0.0.1:" + port));
        try {
            prometheus.awaitReady();
        } catch (IOException | RuntimeException | InterruptedException | Error e) {
            prometheus.close();
            throw e;
        }
        return prometheus;
    }

    /**
     * A configuration scraping each job's targets every {@code interval} (also the evaluation
     * interval and the scrape timeout, which may not exceed it), e.g. {@code "1s"} or {@code "200ms"}.
     */
    public static String scrapeConfig(String interval, Map<String, List<String>> targetsByJob) {
        StringBuilder config = new StringBuilder("""
                global:
                  scrape_interval: %s
                  scrape_timeout: %s
                  evaluation_interval: %s
                scrape_configs:
                """.formatted(interval, interval, interval));
        targetsByJob.forEach((job, targets) -> config.append("""
                  - job_name: %s
                    static_configs:
                      - targets: [%s]
                """.formatted(
                job,
                String.join(", ", targets.stream().map(t -> "\"" + t + "\"").toList()))));
        return config.toString();
    }

    public URI url() {
        return url;
    }

    /** The process, e.g. to check it is alive or to read its log tail in a failure message. */
    public ManagedProcess process() {
        return process;
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!ready()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IOException(
                        "Prometheus not ready at " + url + " within " + READY_TIMEOUT + "\n" + process.logTail(30));
            }
            Thread.sleep(100);
        }
    }

    /** Whether {@code /-/ready} answers 200. */
    public boolean ready() throws InterruptedException {
        return HttpWait.isOk(url.resolve("/-/ready"));
    }

    /**
     * A GET on the HTTP API, e.g. {@code /api/v1/rules}; the whole answer. 400 and 422 carry a JSON
     * error body ({@code status: error} with {@code errorType}) that callers report; any other
     * status is an IOException.
     */
    public JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(url + pathAndQuery))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 && response.statusCode() != 400 && response.statusCode() != 422) {
            throw new IOException(
                    "Prometheus answered " + response.statusCode() + " to " + pathAndQuery + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** An instant query; the whole answer, errors included. */
    public JsonNode query(String promql) throws IOException, InterruptedException {
        return get("/api/v1/query?query=" + encode(promql));
    }

    /** A range query from {@code start} to {@code end} every {@code step}; the whole answer. */
    public JsonNode queryRange(String promql, Instant start, Instant end, Duration step)
            throws IOException, InterruptedException {
        return get("/api/v1/query_range?query=" + encode(promql) + "&start=" + start.getEpochSecond() + "&end="
                + end.getEpochSecond() + "&step=" + step.toMillis() / 1000.0);
    }

    /** The first series' value of an instant query, empty when it returns none. */
    public OptionalDouble value(String promql) throws IOException, InterruptedException {
        JsonNode result = query(promql).path("data").path("result");
        if (result.isEmpty()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(
                Double.parseDouble(result.get(0).path("value").path(1).asText()));
    }

    /**
     * Polls an instant query until it returns at least one series and returns them (the answer's
     * {@code data.result}); fails with the last answer and Prometheus's log otherwise. Prometheus
     * scrapes first about 5 s after it starts, whatever the interval: tests poll.
     */
    public JsonNode awaitSeries(String promql, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last;
        while (true) {
            last = query(promql);
            JsonNode result = last.path("data").path("result");
            if (!result.isEmpty() && result.get(0).isObject()) {
                return result;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Prometheus has no series for " + promql + " after " + timeout
                        + "; last answer: " + last + "\n" + process.logTail(30));
            }
            Thread.sleep(200);
        }
    }

    /** Polls an instant query until it returns a series; the first series' value. */
    public double awaitValue(String promql, Duration timeout) throws IOException, InterruptedException {
        return Double.parseDouble(
                awaitSeries(promql, timeout).get(0).path("value").path(1).asText());
    }

    @Override
    public void close() {
        process.close();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
