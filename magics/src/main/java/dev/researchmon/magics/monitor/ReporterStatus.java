package dev.researchmon.magics.monitor;

import java.time.Instant;
import java.util.Optional;

/**
 * What the reporter has done so far; an immutable value swapped whole after every attempt.
 *
 * @param reportsSent  reports the sidecar accepted
 * @param failures     reports that failed (sidecar down, refused, ...)
 * @param lastSuccess  when the last accepted report went out
 * @param lastError    the last failure's message, cleared by the next success
 */
public record ReporterStatus(long reportsSent, long failures, Optional<Instant> lastSuccess,
                             Optional<String> lastError) {

    static final ReporterStatus NONE = new ReporterStatus(0, 0, Optional.empty(), Optional.empty());

    ReporterStatus succeeded(Instant at) {
        return new ReporterStatus(reportsSent + 1, failures, Optional.of(at), Optional.empty());
    }

    ReporterStatus failed(String message) {
        return new ReporterStatus(reportsSent, failures + 1, lastSuccess, Optional.of(message));
    }
}
