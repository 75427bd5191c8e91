package dev.researchmon.ml.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingMetricsTest {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final TrainingMetrics metrics = TrainingMetrics.registerIn(registry);

    @Test
    void batchCompleted_countsBatchesSamplesAndDurationPerPhase() throws IOException {
        metrics.batchCompleted(Phase.TRAIN, 64, Duration.ofMillis(250));
        metrics.batchCompleted(Phase.TRAIN, 64, Duration.ofMillis(500));
        metrics.batchCompleted(Phase.VALIDATION, 10, Duration.ofMillis(100));

        String text = scrape();
        assertLine(text, "training_batches_total{phase=\"train\"} 2.0");
        assertLine(text, "training_batches_total{phase=\"validation\"} 1.0");
        assertLine(text, "training_samples_total{phase=\"train\"} 128.0");
        assertLine(text, "training_batch_duration_seconds_count{phase=\"train\"} 2");
        assertLine(text, "training_batch_duration_seconds_sum{phase=\"train\"} 0.75");
        assertLine(text, "training_batch_duration_seconds_bucket{phase=\"train\",le=\"0.256\"} 1");
        // throughput follows the last training batch only: 64 samples in 0.5 s
        assertLine(text, "training_samples_per_second 128.0");
    }

    @Test
    void trainingBatch_recordsItsDurationAndLossWhenClosed() throws IOException {
        try (TrainingBatch batch = metrics.startBatch(Phase.VALIDATION, 8)) {
            batch.loss(0.125);
        }

        String text = scrape();
        assertLine(text, "training_batches_total{phase=\"validation\"} 1.0");
        assertLine(text, "training_loss{phase=\"validation\"} 0.125");
    }

    @Test
    void lossEvaluationLearningRateAndEpochs_areExposedWithTheirLabels() throws IOException {
        metrics.loss(Phase.TRAIN, 0.5);
        metrics.evaluation(Phase.VALIDATION, "Accuracy", 0.75);
        metrics.learningRate(0.01);
        metrics.epochCompleted();
        metrics.epochCompleted();

        String text = scrape();
        assertLine(text, "training_loss{phase=\"train\"} 0.5");
        assertLine(text, "training_metric{evaluator=\"Accuracy\",phase=\"validation\"} 0.75");
        assertLine(text, "training_learning_rate 0.01");
        assertLine(text, "training_epochs_total 2.0");
    }

    @Test
    void get_returnsOneInstanceRegisteredInTheDefaultRegistry() {
        assertSame(TrainingMetrics.get(), TrainingMetrics.get());
        assertTrue(PrometheusRegistry.defaultRegistry.scrape().stream()
                .anyMatch(m -> m.getMetadata().getPrometheusName().equals("training_batches")));
    }

    @Test
    void nameAlreadyDefinedByNotebookCode_isAClearErrorAndRegistersNothing() {
        PrometheusRegistry notebook = new PrometheusRegistry();
        io.prometheus.metrics.core.metrics.Gauge.builder()
                .name("training_loss")
                .help("by hand")
                .register(notebook);

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TrainingMetrics.registerIn(notebook));

        assertTrue(e.getMessage().startsWith("the training metrics cannot be registered"), e.getMessage());
        assertEquals(
                List.of("training_loss"),
                notebook.scrape().stream()
                        .map(m -> m.getMetadata().getPrometheusName())
                        .toList());
    }

    @Test
    void negativeSampleCount_isRejected() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> metrics.startBatch(Phase.TRAIN, -1));
        assertEquals("a batch cannot have a negative sample count: -1", e.getMessage());
    }

    @Test
    void negativeDuration_isRejected() {
        assertThrows(
                IllegalArgumentException.class, () -> metrics.batchCompleted(Phase.TRAIN, 1, Duration.ofMillis(-1)));
    }

    @Test
    void missingPhase_isRejected() {
        assertThrows(NullPointerException.class, () -> metrics.loss(null, 1.0));
    }

    @Test
    void badLearningRate_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> metrics.learningRate(-0.1));
        assertThrows(IllegalArgumentException.class, () -> metrics.learningRate(Double.NaN));
    }

    @Test
    void evaluatorNameWithOddCharacters_isRejected() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> metrics.evaluation(Phase.TRAIN, "acc\"uracy", 1));
        assertTrue(e.getMessage().startsWith("evaluator name must be"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> metrics.evaluation(Phase.TRAIN, "", 1));
    }

    @Test
    void evaluatorNames_areBoundedPerKernel() {
        for (int i = 0; i < TrainingMetrics.MAX_EVALUATORS; i++) {
            metrics.evaluation(Phase.TRAIN, "e" + i, i);
        }
        metrics.evaluation(Phase.VALIDATION, "e0", 1); // a known name in another phase is fine

        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> metrics.evaluation(Phase.TRAIN, "one-too-many", 1));
        assertTrue(e.getMessage().startsWith("at most 32 evaluator names"), e.getMessage());
    }

    private String scrape() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PrometheusTextFormatWriter(false).write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void assertLine(String text, String line) {
        assertTrue(text.lines().anyMatch(line::equals), "no line '" + line + "' in:\n" + text);
    }
}
