package dev.researchmon.sidecar.testing;

import dev.researchmon.report.KernelReport;
import dev.researchmon.report.ReportClient;
import dev.researchmon.report.ReportException;
import dev.researchmon.report.ReportMapper;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * A stand-in for a notebook kernel's reporting loop, run as its own JVM by the tests: a real
 * client_java registry, a real {@link ReportClient} found through the environment
 * ({@code RESEARCH_MONITOR_SIDECAR_URL}, {@code RESEARCH_MONITOR_HOME}), reporting every
 * {@code intervalMillis} and carrying on whatever the sidecar answers, as a kernel does.
 *
 * <p>Arguments: kernelId notebook intervalMillis cellsPerReport
 */
public final class ReportingKernel {
    private ReportingKernel() {}

    public static void main(String[] args) throws InterruptedException {
        String kernelId = args[0];
        String notebook = args[1];
        long interval = Long.parseLong(args[2]);
        PrometheusRegistry registry = new PrometheusRegistry();
        Counter cells = Counter.builder()
                .name("notebook_cells_executed_total")
                .help("Cells executed.")
                .labelNames("status")
                .register(registry);
        ReportClient client = ReportClient.fromEnvironment(System.getenv());
        long pid = ProcessHandle.current().pid();
        System.out.println("reporting-kernel pid " + pid);
        for (long sequence = 1; ; sequence++) {
            cells.labelValues("ok").inc();
            try {
                client.report(new KernelReport(
                        kernelId, notebook, pid, sequence, ReportMapper.fromSnapshots(registry.scrape())));
                System.out.println("reported " + sequence);
            } catch (ReportException e) {
                System.out.println("report failed: " + e.kind() + " " + e.getMessage());
            }
            System.out.flush();
            Thread.sleep(interval);
        }
    }
}
