package dev.researchmon.magics.monitor;

import dev.researchmon.magics.api.KernelIdentity;
import dev.researchmon.report.KernelReport;
import dev.researchmon.report.ReportAck;
import dev.researchmon.report.ReportClient;
import dev.researchmon.report.ReportMapper;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.function.Supplier;

/**
 * Sends reports to the sidecar through the report module's {@link ReportClient}.
 *
 * <pre>{@code
 * ReportSink sink = new SidecarReportSink(new ReportClient(url, tokenFile), ctx::identity);
 * }</pre>
 *
 * @param identity asked for each report: a notebook renamed in the UI is reported under its new name
 */
public record SidecarReportSink(ReportClient client, Supplier<KernelIdentity> identity) implements ReportSink {

    @Override
    public ReportAck send(MetricSnapshots snapshots, long sequence) throws Exception {
        KernelIdentity id = identity.get();
        return client.report(new KernelReport(
                id.kernelId(), id.notebook(), id.pid(), sequence, ReportMapper.fromSnapshots(snapshots)));
    }

    @Override
    public void forget() throws Exception {
        client.forget(identity.get().kernelId());
    }
}
