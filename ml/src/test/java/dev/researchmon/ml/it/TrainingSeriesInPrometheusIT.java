package dev.researchmon.ml.it;

import static dev.researchmon.ml.it.SmallNetworks.BATCH;
import static dev.researchmon.ml.it.SmallNetworks.EPOCHS;
import static dev.researchmon.ml.it.SmallNetworks.LEARNING_RATE;
import static dev.researchmon.ml.it.SmallNetworks.TRAIN_SAMPLES;
import static dev.researchmon.ml.it.SmallNetworks.VALIDATION_SAMPLES;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.training.TrainingResult;
import com.fasterxml.jackson.databind.JsonNode;
import dev.researchmon.ml.training.TrainingMetrics;
import dev.researchmon.testkit.FreePort;
import dev.researchmon.testkit.LocalPrometheus;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training runs (DJL on PyTorch's CPU engine, and a plain-Java loop) record their metrics, a real
 * Prometheus scrapes them, and the values it holds are the ones the runs logged. Each run has its
 * own registry behind its own exporter, one Prometheus job each.
 */
class TrainingSeriesInPrometheusIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static final PrometheusRegistry djlRegistry = new PrometheusRegistry();
    private static final PrometheusRegistry plainRegistry = new PrometheusRegistry();
    private static HTTPServer djlExporter;
    private static HTTPServer plainExporter;
    private static LocalPrometheus prometheus;

    @TempDir
    static Path prometheusDir;

    @BeforeAll
    static void start() throws Exception {
        djlExporter = HTTPServer.builder()
                .hostname("127.0.0.1")
                .port(0)
                .registry(djlRegistry)
                .buildAndStart();
        plainExporter = HTTPServer.builder()
                .hostname("127.0.0.1")
                .port(0)
                .registry(plainRegistry)
                .buildAndStart();
        prometheus = LocalPrometheus.start(
                prometheusDir,
                FreePort.loopback(),
                LocalPrometheus.scrapeConfig(
                        "1s",
                        Map.of(
                                "djl", List.of("127.0.0.1:" + djlExporter.getPort()),
                                "plain", List.of("127.0.0.1:" + plainExporter.getPort()))));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (prometheus != null) {
                prometheus.close();
            }
        } finally {
            if (djlExporter != null) {
                djlExporter.close();
            }
            if (plainExporter != null) {
                plainExporter.close();
            }
        }
    }

    @Test
    void djlTraining_seriesArriveWithTheValuesDjlLogged() throws Exception {
        String unavailable = SmallNetworks.pytorchUnavailable();
        assumeTrue(unavailable == null, unavailable);
        TrainingResult result = SmallNetworks.trainDjl(TrainingMetrics.registerIn(djlRegistry));
        assertNotNull(result.getTrainLoss(), "DJL logged no training loss: " + result);

        int trainBatches = EPOCHS * TRAIN_SAMPLES / BATCH;
        int validationBatches = EPOCHS * VALIDATION_SAMPLES / BATCH;
        expect("djl", "training_epochs_total", EPOCHS);
        expect("djl", "training_batches_total{phase=\"train\"}", trainBatches);
        expect("djl", "training_batches_total{phase=\"validation\"}", validationBatches);
        expect("djl", "training_samples_total{phase=\"train\"}", EPOCHS * TRAIN_SAMPLES);
        expect("djl", "training_batch_duration_seconds_count{phase=\"train\"}", trainBatches);
        expect("djl", "training_loss{phase=\"train\"}", result.getTrainLoss());
        expect("djl", "training_loss{phase=\"validation\"}", result.getValidateLoss());
        expect("djl", "training_metric{evaluator=\"Accuracy\",phase=\"train\"}", result.getTrainEvaluation("Accuracy"));
        expect(
                "djl",
                "training_metric{evaluator=\"Accuracy\",phase=\"validation\"}",
                result.getValidateEvaluation("Accuracy"));
        expect("djl", "training_learning_rate", LEARNING_RATE);
        expect("djl", "training_samples_per_second > bool 0", 1);
    }

    @Test
    void plainJavaLoop_seriesArriveWithTheValuesTheLoopLogged() throws Exception {
        SmallNetworks.PlainRun run = SmallNetworks.trainPlain(TrainingMetrics.registerIn(plainRegistry));

        expect("plain", "training_epochs_total", EPOCHS);
        expect("plain", "training_batches_total{phase=\"train\"}", EPOCHS * TRAIN_SAMPLES / BATCH);
        expect("plain", "training_batches_total{phase=\"validation\"}", EPOCHS);
        expect("plain", "training_samples_total{phase=\"validation\"}", EPOCHS * VALIDATION_SAMPLES);
        expect("plain", "training_loss{phase=\"train\"}", run.trainLoss());
        expect("plain", "training_loss{phase=\"validation\"}", run.validationLoss());
        expect("plain", "training_metric{evaluator=\"accuracy\",phase=\"validation\"}", run.validationAccuracy());
        expect("plain", "training_learning_rate", LEARNING_RATE);
    }

    /** Adds the job to the selector: {@code name{labels}} becomes {@code name{job="...",labels}}. */
    private static void expect(String job, String series, double value) throws Exception {
        String jobLabel = "job=\"" + job + "\"";
        String promql = series.contains("{")
                ? series.replace("{", "{" + jobLabel + ",")
                : series.replaceFirst("^(\\w+)", "$1{" + jobLabel + "}");
        awaitValue(promql, value, WAIT);
    }

    /**
     * Polls until the query's one series has value {@code expected} (within a relative 1e-6:
     * Prometheus keeps doubles, DJL logs floats), and fails with the last value seen otherwise.
     */
    private static void awaitValue(String promql, double expected, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        OptionalDouble last = OptionalDouble.empty();
        while (System.nanoTime() < deadline) {
            JsonNode answer = prometheus.query(promql);
            if (!"success".equals(answer.path("status").asText())) {
                throw new AssertionError("Prometheus rejected " + promql + ": " + answer);
            }
            JsonNode result = answer.path("data").path("result");
            if (result.size() > 1) {
                throw new AssertionError("expected one series for " + promql + ", got " + result);
            }
            last = result.size() == 1
                    ? OptionalDouble.of(Double.parseDouble(
                            result.get(0).path("value").get(1).asText()))
                    : OptionalDouble.empty();
            if (last.isPresent() && Math.abs(last.getAsDouble() - expected) <= 1e-6 * Math.max(1, Math.abs(expected))) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(promql + ": expected " + expected + ", Prometheus had " + last + " after " + timeout
                + "; its log:\n" + prometheus.process().output());
    }
}
