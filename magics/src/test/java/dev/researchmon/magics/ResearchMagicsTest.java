package dev.researchmon.magics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.researchmon.magics.api.Magic;
import dev.researchmon.magics.api.MagicProvider;
import dev.researchmon.magics.monitor.StaleMetricRecovery;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ResearchMagicsTest {

    @Test
    void serviceLoader_findsTheMonitoringMagicsAndTheStaleMetricRecovery() {
        List<MagicProvider> providers = ServiceLoader.load(MagicProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .toList();
        assertEquals(1, providers.size());
        MagicProvider p = providers.get(0);
        assertEquals(
                List.of("monitoring", "metrics", "gpu", "timed", "dashboard"),
                p.magics().stream().map(Magic::name).toList());
        assertEquals(
                List.of("timed"),
                p.magics().stream().filter(Magic::isCellMagic).map(Magic::name).collect(Collectors.toList()));
        assertInstanceOf(StaleMetricRecovery.class, p.recoveries().get(0));
    }
}
