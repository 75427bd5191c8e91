package dev.researchmon.monitoring;

import dev.researchmon.magics.api.CellOutcome;
import dev.researchmon.magics.monitor.NotebookMetrics;
import dev.researchmon.report.KernelReport;
import dev.researchmon.report.ReportClient;
import dev.researchmon.report.ReportException;
import dev.researchmon.report.ReportMapper;
import java.time.Clock;
import java.time.Duration;

/**
 * Stands in for a notebook kernel with {@code %monitoring on}, in its own process (so the stub
 * NVML can attribute GPU memory to its pid): the kernel's real {@link NotebookMetrics} count
 * simulated cells (most pass, every fourth fails, durations from milliseconds to seconds), and
 * the report module's {@link ReportClient} sends them to the sidecar twice a second, as the
 * kernel's reporter does. Runs until killed or until its stdin closes.
 *
 * <pre>{@code
 * RESEARCH_MONITOR_SIDECAR_URL=http://127.0.0.1:19464 RESEARCH_MONITOR_HOME=/tmp/state \
 *   java -cp <test class path> dev.researchmon.monitoring.NotebookFeeder k-1 train.ipynb
 * }</pre>
 */
public final class NotebookFeeder {
    private static final double[] DURATIONS = {0.004, 0.02, 0.07, 0.3, 0.8, 1.7, 4.0};

    private NotebookFeeder() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: NotebookFeeder KERNEL_ID NOTEBOOK");
            System.exit(2);
        }
        String kernelId = args[0];
        String notebook = args[1];
        NotebookMetrics metrics = new NotebookMetrics(Clock.systemUTC());
        ReportClient client = ReportClient.fromEnvironment(System.getenv());
        long pid = ProcessHandle.current().pid();
        Thread watchdog = new Thread(NotebookFeeder::exitWhenParentGoes, "stdin-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();

        long sequence = 0;
        int cell = 0;
        while (true) {
            for (int i = 0; i < 4; i++, cell++) {
                CellOutcome outcome = cell % 4 == 3 ? CellOutcome.ERROR : CellOutcome.OK;
                metrics.cellFinished(cell, outcome, Duration.ofMillis((long) (DURATIONS[cell % DURATIONS.length] * 1000)));
            }
            try {
                client.report(new KernelReport(kernelId, notebook, pid, ++sequence,
                        ReportMapper.fromSnapshots(metrics.registry().scrape())));
            } catch (ReportException e) {
                // The sidecar may not be up yet: a kernel keeps trying, and so does this.
                System.err.println("report " + sequence + " failed: " + e.getMessage());
            }
            Thread.sleep(500);
        }
    }

    private static void exitWhenParentGoes() {
        try {
            while (System.in.read() >= 0) {
                // discard
            }
        } catch (java.io.IOException e) {
            // treat as closed
        }
        System.exit(0);
    }
}
