package dev.researchmon.magics.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

class StaleMetricRecoveryTest {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final StaleMetricRecovery recovery = new StaleMetricRecovery(registry);

    private Counter batches() {
        return Counter.builder()
                .name("ml_batches_processed")
                .help("Number of batches processed")
                .register(registry);
    }

    @Test
    void rerunningARegistration_afterRecovery_registersTheNewCollectorInPlaceOfTheStaleOne() {
        batches().inc(5);
        var duplicate = assertThrows(IllegalArgumentException.class, this::batches);

        assertTrue(recovery.recover(duplicate.getClass().getName(), duplicate.getMessage()), duplicate.getMessage());
        Counter fresh = batches();
        fresh.inc();

        var snapshots = registry.scrape();
        assertEquals(1, snapshots.size());
        assertEquals(
                1.0,
                ((io.prometheus.metrics.model.snapshots.CounterSnapshot) snapshots.get(0))
                        .getDataPoints()
                        .get(0)
                        .getValue());
    }

    @Test
    void counterNamedWithTotal_isRecoveredToo() {
        Counter.builder().name("tokens_total").help("x").register(registry);
        var duplicate = assertThrows(
                IllegalArgumentException.class,
                () -> Counter.builder().name("tokens_total").help("x").register(registry));
        assertTrue(recovery.recover(IllegalArgumentException.class.getName(), duplicate.getMessage()));
        Counter.builder().name("tokens_total").help("x").register(registry);
    }

    @Test
    void otherMetricsOfTheRegistry_stayRegistered() {
        batches();
        Gauge.builder().name("loss").help("x").register(registry);
        var duplicate = assertThrows(IllegalArgumentException.class, this::batches);
        recovery.recover(IllegalArgumentException.class.getName(), duplicate.getMessage());
        assertEquals(1, registry.scrape().size());
        assertEquals("loss", registry.scrape().get(0).getMetadata().getPrometheusName());
    }

    @Test
    void unrelatedFailures_areNotRecovered() {
        batches();
        assertFalse(recovery.recover("java.lang.IllegalArgumentException", "bad argument"));
        assertFalse(recovery.recover(
                "java.lang.IllegalStateException",
                "ml_batches_processed: duplicate metric name with identical label schema []"));
        assertFalse(recovery.recover(
                "java.lang.IllegalArgumentException",
                "never_registered: duplicate metric name with identical label schema []"));
        assertEquals(1, registry.scrape().size());
    }
}
