package dev.researchmon.sidecar.notebook;

import dev.researchmon.report.ReportAck;
import java.util.List;

/**
 * How many series of one report were kept and how many dropped, and why (per reason, with a few of
 * the families' names), as the kernel gets it back in its {@link ReportAck}.
 */
public record AcceptResult(int accepted, int dropped, List<ReportAck.Drop> drops) {
    public AcceptResult {
        drops = List.copyOf(drops);
    }

    public AcceptResult(int accepted, int dropped) {
        this(accepted, dropped, List.of());
    }

    public ReportAck toAck() {
        return new ReportAck(accepted, dropped, drops);
    }
}
