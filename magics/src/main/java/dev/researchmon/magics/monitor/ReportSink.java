package dev.researchmon.magics.monitor;

import dev.researchmon.report.ReportAck;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * Where the {@link Reporter} sends this kernel's metrics: the sidecar, in production
 * ({@link SidecarReportSink}). Calls come from the reporter's own thread, one at a time.
 */
public interface ReportSink {

    /**
     * Sends one report.
     *
     * @param sequence increases by one each report, so the sidecar can tell stale reports
     * @return the sidecar's answer: what it kept and what it dropped, why
     * @throws Exception whose message says in one sentence what went wrong
     */
    ReportAck send(MetricSnapshots snapshots, long sequence) throws Exception;

    /** Asks the sidecar to drop this kernel's series now. */
    void forget() throws Exception;
}
