package dev.researchmon.magics;

import dev.researchmon.magics.api.Magic;
import dev.researchmon.magics.api.MagicProvider;
import dev.researchmon.magics.api.SnippetRecovery;
import dev.researchmon.magics.command.DashboardMagic;
import dev.researchmon.magics.command.GpuMagic;
import dev.researchmon.magics.command.MetricsMagic;
import dev.researchmon.magics.command.MonitoringMagic;
import dev.researchmon.magics.command.TimedMagic;
import dev.researchmon.magics.monitor.MonitoringSession;
import dev.researchmon.magics.monitor.StaleMetricRecovery;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;

/**
 * The monitoring magics, found by the kernel through {@link java.util.ServiceLoader}. One instance
 * per kernel: the magics share its {@link MonitoringSession}; notebook metrics are those of
 * {@link PrometheusRegistry#defaultRegistry}.
 *
 * <pre>{@code
 * for (MagicProvider p : ServiceLoader.load(MagicProvider.class)) { p.magics().forEach(registry::add); }
 * }</pre>
 */
public final class ResearchMagics implements MagicProvider {
    private final MonitoringSession session;

    public ResearchMagics() {
        this(new MonitoringSession(System.getenv(), PrometheusRegistry.defaultRegistry));
    }

    public ResearchMagics(MonitoringSession session) {
        this.session = session;
    }

    @Override
    public List<Magic> magics() {
        return List.of(
                new MonitoringMagic(session),
                new MetricsMagic(session),
                new GpuMagic(session),
                new TimedMagic(session),
                new DashboardMagic(session));
    }

    @Override
    public List<SnippetRecovery> recoveries() {
        return List.of(new StaleMetricRecovery(PrometheusRegistry.defaultRegistry));
    }
}
