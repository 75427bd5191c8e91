package dev.researchmon.ml.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.training.TrainingResult;
import ai.djl.training.evaluator.Accuracy;
import dev.researchmon.ml.training.TrainingMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import org.junit.jupiter.api.Test;

/** The listener's behaviour at the edges, on a real DJL run. */
class DjlListenerIT {
    @Test
    void evaluatorWithAnUnusableName_isSkipped_andTrainingGoesOn() throws Exception {
        String unavailable = SmallNetworks.pytorchUnavailable();
        assumeTrue(unavailable == null, unavailable);
        PrometheusRegistry registry = new PrometheusRegistry();

        // brackets are not allowed in an evaluator label value
        TrainingResult result = SmallNetworks.trainDjl(TrainingMetrics.registerIn(registry), new Accuracy("acc[top1]"));

        assertNotNull(result.getTrainLoss(), "training finished: " + result);
        assertEquals(
                SmallNetworks.EPOCHS,
                ((CounterSnapshot) snapshot(registry, "training_epochs"))
                        .getDataPoints()
                        .get(0)
                        .getValue());
        assertEquals(
                0,
                ((GaugeSnapshot) snapshot(registry, "training_metric"))
                        .getDataPoints()
                        .size(),
                "no series for the unusable evaluator name");
        assertEquals(
                2,
                ((GaugeSnapshot) snapshot(registry, "training_loss"))
                        .getDataPoints()
                        .size(),
                "loss of both phases still recorded");
    }

    private static Object snapshot(PrometheusRegistry registry, String name) {
        return registry.scrape().stream()
                .filter(m -> m.getMetadata().getPrometheusName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + name));
    }
}
