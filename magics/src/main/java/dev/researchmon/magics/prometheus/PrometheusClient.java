package dev.researchmon.magics.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.researchmon.magics.api.MagicException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prometheus's HTTP query API ({@code /api/v1/query}, {@code /api/v1/query_range}). Every failure
 * becomes a {@link MagicException} with one sentence for the user.
 *
 * <pre>{@code
 * var prom = new PrometheusClient(URI.create("http://127.0.0.1:9090"), Duration.ofSeconds(10));
 * List<Series> now = prom.instant("up");
 * List<Series> last30m = prom.range("rate(x_total[1m])", Instant.now().minusSeconds(1800), Instant.now(), Duration.ofSeconds(15));
 * }</pre>
 */
public final class PrometheusClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** {@code global:} comes first in Prometheus's rendering of its configuration. */
    private static final Pattern GLOBAL_SCRAPE_INTERVAL =
            Pattern.compile("(?s)\\Aglobal:.*?\\n  scrape_interval: (\\S+)");

    private final URI base;
    private final Duration timeout;
    private final HttpClient http;

    public PrometheusClient(URI base, Duration timeout) {
        this.base = base;
        this.timeout = timeout;
        this.http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    public URI base() {
        return base;
    }

    /** An instant query, evaluated now. */
    public List<Series> instant(String promql) throws MagicException {
        return post("/api/v1/query", Map.of("query", promql));
    }

    /** A range query from {@code start} to {@code end}, one point every {@code step}. */
    public List<Series> range(String promql, Instant start, Instant end, Duration step) throws MagicException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("query", promql);
        form.put("start", seconds(start));
        form.put("end", seconds(end));
        form.put("step", Double.toString(step.toMillis() / 1000.0));
        return post("/api/v1/query_range", form);
    }

    /**
     * Prometheus's global scrape interval, from {@code /api/v1/status/config}; empty when the
     * configuration does not say (Prometheus's default is then 1m, the project's 15s).
     */
    public Optional<Duration> scrapeInterval() throws MagicException {
        String yaml = get("/api/v1/status/config").path("data").path("yaml").asText("");
        Matcher m = GLOBAL_SCRAPE_INTERVAL.matcher(yaml);
        return m.find() ? Optional.ofNullable(PromDuration.parse(m.group(1))) : Optional.empty();
    }

    /** The names of the recording rules Prometheus evaluates ({@code /api/v1/rules?type=record}). */
    public Set<String> recordingRules() throws MagicException {
        Set<String> names = new TreeSet<>();
        for (JsonNode group : get("/api/v1/rules?type=record").path("data").path("groups")) {
            group.path("rules").forEach(r -> names.add(r.path("name").asText()));
        }
        return names;
    }

    private JsonNode get(String pathAndQuery) throws MagicException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(timeout)
                .GET()
                .build();
        return answer(request);
    }

    private List<Series> post(String path, Map<String, String> form) throws MagicException {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&")
                .append(k)
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        return parse(answer(request).path("data"));
    }

    /** The JSON of a successful answer; every failure is one sentence. */
    private JsonNode answer(HttpRequest request) throws MagicException {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new MagicException("Prometheus does not answer at " + base + ".", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MagicException("Interrupted while querying Prometheus at " + base + ".");
        }
        JsonNode root;
        try {
            root = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new MagicException("The server at " + base + " answered HTTP " + response.statusCode()
                    + " with something other than Prometheus's JSON; is " + base + " Prometheus?");
        }
        if (!"success".equals(root.path("status").asText())) {
            throw new MagicException("Prometheus rejected the query: "
                    + root.path("error").asText("HTTP " + response.statusCode()) + ".");
        }
        return root;
    }

    static List<Series> parse(JsonNode data) throws MagicException {
        String type = data.path("resultType").asText();
        JsonNode result = data.path("result");
        List<Series> out = new ArrayList<>();
        switch (type) {
            case "vector" -> {
                for (JsonNode s : result) {
                    out.add(Series.of(labels(s.path("metric")), List.of(sample(s.path("value")))));
                }
            }
            case "matrix" -> {
                for (JsonNode s : result) {
                    List<Series.Sample> samples = new ArrayList<>();
                    for (JsonNode v : s.path("values")) {
                        samples.add(sample(v));
                    }
                    out.add(Series.of(labels(s.path("metric")), samples));
                }
            }
            case "scalar" -> out.add(Series.of(Map.of(), List.of(sample(result))));
            default ->
                throw new MagicException(
                        "Prometheus answered a " + type + " result, which cannot be shown as a table.");
        }
        return out;
    }

    private static Map<String, String> labels(JsonNode metric) {
        Map<String, String> labels = new LinkedHashMap<>();
        metric.fields()
                .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }

    /** {@code [1700000000.123, "4.5"]}; values come as strings because of NaN and Inf. */
    private static Series.Sample sample(JsonNode pair) {
        return new Series.Sample(
                pair.path(0).asDouble(), parseValue(pair.path(1).asText()));
    }

    static double parseValue(String text) {
        return switch (text) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }

    private static String seconds(Instant t) {
        return Double.toString(t.toEpochMilli() / 1000.0);
    }
}
