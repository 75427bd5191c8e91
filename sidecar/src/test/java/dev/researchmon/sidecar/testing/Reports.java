package dev.researchmon.sidecar.testing;

import dev.researchmon.report.KernelReport;
import dev.researchmon.report.ReportMapper;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.core.metrics.Summary;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Kernel reports built the way a kernel builds them: from a real client_java registry through
 * {@link ReportMapper}, with the built-in notebook metrics and user metrics of every type.
 */
public final class Reports {
    private Reports() {}

    /** A registry as a kernel would hold it after {@code cells} cells (one of them failed). */
    public static PrometheusRegistry notebookRegistry(int cells) {
        PrometheusRegistry registry = new PrometheusRegistry();
        Counter executed = Counter.builder()
                .name("notebook_cells_executed_total")
                .help("Cells executed, by outcome.")
                .labelNames("status")
                .register(registry);
        executed.labelValues("ok").inc(cells - 1);
        executed.labelValues("error").inc();
        Histogram duration = Histogram.builder()
                .name("notebook_cell_duration_seconds")
                .help("Cell execution time.")
                .classicUpperBounds(0.1, 1, 10)
                .register(registry);
        for (int i = 0; i < cells; i++) {
            duration.observe(i % 2 == 0 ? 0.05 : 2.5);
        }
        Gauge loss = Gauge.builder()
                .name("training_loss")
                .help("User metric: current loss.")
                .labelNames("model")
                .register(registry);
        loss.labelValues("resnet").set(0.125);
        Summary batch = Summary.builder()
                .name("batch_seconds")
                .help("User metric: batch time.")
                .quantile(0.5)
                .register(registry);
        batch.observe(0.75);
        Info info = Info.builder()
                .name("experiment_info")
                .help("User metric: experiment.")
                .labelNames("name")
                .register(registry);
        info.setLabelValues("baseline");
        return registry;
    }

    public static KernelReport report(String kernelId, String notebook, long pid, long sequence, int cells) {
        return new KernelReport(
                kernelId,
                notebook,
                pid,
                sequence,
                ReportMapper.fromSnapshots(notebookRegistry(cells).scrape()));
    }
}
