package dev.researchmon.magics.monitor;

import dev.researchmon.report.ReportAck;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the reporter has done so far; an immutable value swapped whole after every attempt.
 *
 * @param reportsSent  reports the sidecar accepted
 * @param failures     reports that failed (sidecar down, refused, ...)
 * @param lastSuccess  when the last accepted report went out
 * @param lastError    the last failure's message, cleared by the next success
 * @param rejected     what the sidecar dropped of the last accepted report, by reason with example
 *                     names (a reserved name, a limit): those series never reach Prometheus
 */
public record ReporterStatus(
        long reportsSent,
        long failures,
        Optional<Instant> lastSuccess,
        Optional<String> lastError,
        List<ReportAck.Drop> rejected) {

    static final ReporterStatus NONE = new ReporterStatus(0, 0, Optional.empty(), Optional.empty(), List.of());

    public ReporterStatus {
        rejected = List.copyOf(rejected);
    }

    /** Series of the last report that the sidecar dropped, all reasons together. */
    public int rejectedSeries() {
        return rejected.stream().mapToInt(ReportAck.Drop::series).sum();
    }

    ReporterStatus succeeded(Instant at, ReportAck ack) {
        return new ReporterStatus(
                reportsSent + 1, failures, Optional.of(at), Optional.empty(), ack == null ? List.of() : ack.drops());
    }

    ReporterStatus failed(String message) {
        return new ReporterStatus(reportsSent, failures + 1, lastSuccess, Optional.of(message), rejected);
    }
}
