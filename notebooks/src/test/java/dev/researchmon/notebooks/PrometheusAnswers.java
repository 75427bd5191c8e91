package dev.researchmon.notebooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.researchmon.magics.testing.LocalPrometheus;

import java.time.Duration;
import java.util.OptionalDouble;

/** Waits for Prometheus to hold a value, read from its query API's JSON. */
final class PrometheusAnswers {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PrometheusAnswers() {
    }

    /** The first series' value of an instant query, empty when it has none. */
    static OptionalDouble value(LocalPrometheus prometheus, String promql) throws Exception {
        JsonNode result = JSON.readTree(prometheus.query(promql)).path("data").path("result");
        if (result.isEmpty()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(Double.parseDouble(result.get(0).path("value").path(1).asText()));
    }

    /** Polls until the query has a value; the last value seen is returned. */
    static double await(LocalPrometheus prometheus, String promql, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            OptionalDouble v = value(prometheus, promql);
            if (v.isPresent()) {
                return v.getAsDouble();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Prometheus has no value for " + promql + " after " + wait);
            }
            Thread.sleep(200);
        }
    }
}
