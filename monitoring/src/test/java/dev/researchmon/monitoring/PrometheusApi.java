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
import java.util.ArrayList;
import java.util.List;

/**
 * The few calls of Prometheus's HTTP API the live test needs, answers as Jackson trees.
 *
 * <pre>{@code
 * PrometheusApi api = new PrometheusApi(URI.create("http://127.0.0.1:9090"));
 * JsonNode answer = api.query("up");   // {"status":"success","data":{"resultType":"vector","result":[...]}}
 * }</pre>
 */
final class PrometheusApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    PrometheusApi(URI base) {
        this.base = base;
    }

    /** An instant query; the whole answer, errors included (status "error" with errorType). */
    JsonNode query(String expr) throws IOException, InterruptedException {
        return get("/api/v1/query?query=" + encode(expr));
    }

    /** What Grafana's {@code label_values(metric, label)} lists. */
    List<String> labelValues(String label, String match) throws IOException, InterruptedException {
        JsonNode answer = get("/api/v1/label/" + encode(label) + "/values?match[]=" + encode(match));
        List<String> values = new ArrayList<>();
        answer.path("data").forEach(v -> values.add(v.asText()));
        return values;
    }

    JsonNode rules() throws IOException, InterruptedException {
        return get("/api/v1/rules");
    }

    JsonNode alertmanagers() throws IOException, InterruptedException {
        return get("/api/v1/alertmanagers");
    }

    boolean ready() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/-/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        // 400 and 422 carry a JSON error body that callers report; anything else is unexpected.
        if (response.statusCode() != 200 && response.statusCode() != 400 && response.statusCode() != 422) {
            throw new IOException("Prometheus answered " + response.statusCode() + " to " + pathAndQuery + ": "
                    + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
