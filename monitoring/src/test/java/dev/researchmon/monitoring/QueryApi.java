package dev.researchmon.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The Prometheus query API of whatever serves it: a host's Prometheus, a central Prometheus or
 * VictoriaMetrics (which answers the same API, range selectors included as raw samples).
 *
 * <pre>{@code
 * QueryApi store = new QueryApi(URI.create("http://127.0.0.1:8428"));
 * store.result("up{host=\"gpu-a\"}");
 * }</pre>
 */
final class QueryApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final URI base;
    private final HttpClient http;
    /** The Authorization header a closed store asks for; null for an open one. */
    private final String authorization;

    QueryApi(URI base) {
        this(base, HTTP, null);
    }

    /** A store that asks who is reading (a closed central store), through {@code http} (its TLS trust). */
    QueryApi(URI base, HttpClient http, String authorization) {
        this.base = base;
        this.http = http;
        this.authorization = authorization;
    }

    /** The header value of HTTP basic auth. */
    static String basicAuth(String user, String password) {
        return "Basic "
                + java.util.Base64.getEncoder()
                        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    URI base() {
        return base;
    }

    JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(20));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IOException(
                    base + pathAndQuery + " answered " + response.statusCode() + ": " + response.body(), e);
        }
    }

    /** The whole answer of an instant query, status and errors included. */
    JsonNode query(String expr) throws IOException, InterruptedException {
        return get("/api/v1/query?query=" + encode(expr));
    }

    JsonNode query(String expr, Instant time) throws IOException, InterruptedException {
        return get("/api/v1/query?query=" + encode(expr) + "&time=" + time.toEpochMilli() / 1000.0);
    }

    /** The result list of an instant query; empty when it failed or found nothing. */
    JsonNode result(String expr) throws IOException, InterruptedException {
        return query(expr).path("data").path("result");
    }

    /** What Grafana's {@code label_values(metric, label)} lists. */
    List<String> labelValues(String label, String match) throws IOException, InterruptedException {
        List<String> values = new ArrayList<>();
        get("/api/v1/label/" + encode(label) + "/values?match[]=" + encode(match))
                .path("data")
                .forEach(v -> values.add(v.asText()));
        return values;
    }

    /** The raw sample times (ms) of one series selector over {@code window} before {@code end}. */
    List<Long> sampleTimes(String selector, Instant end, Duration window) throws IOException, InterruptedException {
        JsonNode result = query(selector + "[" + window.toSeconds() + "s]", end)
                .path("data")
                .path("result");
        List<Long> times = new ArrayList<>();
        if (result.size() > 1) {
            throw new IllegalStateException(selector + " selects " + result.size() + " series: " + result);
        }
        for (JsonNode sample : result.path(0).path("values")) {
            times.add(Math.round(sample.path(0).asDouble() * 1000));
        }
        return times;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return base.toString();
    }
}
