package dev.researchmon.magics.monitor;

import dev.researchmon.magics.api.KernelIdentity;
import dev.researchmon.report.KernelReport;
import dev.researchmon.report.ReportClient;
import dev.researchmon.report.ReportMapper;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * Sends reports to the sidecar through the report module's {@link ReportClient}.
 *
 * <pre>{@code
 * ReportSink sink = new SidecarReportSink(new ReportClient(url, tokenFile), ctx.identity());
 * }</pre>
 */
public record SidecarReportSink(ReportClient client, KernelIdentity identity) implements ReportSink {

    @Override
    public void send(MetricSnapshots snapshots, long sequence) throws Exception {
        client.report(new KernelReport(identity.kernelId(), identity.notebook(), identity.pid(), sequence,
                ReportMapper.fromSnapshots(snapshots)));
    }

    @Override
    public void forget() throws Exception {
        client.forget(identity.kernelId());
    }
}
