package dev.researchmon.report;

/**
 * Why a report or a forget did not go through. {@link #kind()} tells the caller what to do: retry
 * later (DOWN), re-read the token (UNAUTHORIZED; {@link ReportClient} already does once), or fix the
 * report (REJECTED, with the sidecar's reason).
 *
 * <pre>{@code
 * try { client.report(r); } catch (ReportException e) {
 *   if (e.kind() == ReportException.Kind.DOWN) { return; } // sidecar not running: try next time
 *   log(e.getMessage());
 * }
 * }</pre>
 */
public class ReportException extends Exception {
    /** What went wrong. */
    public enum Kind {
        /** The sidecar could not be reached, or did not answer in time. */
        DOWN,
        /** The sidecar refused the token (401), even after re-reading the token file. */
        UNAUTHORIZED,
        /** The sidecar refused the request (400, 413, 415, ...); the message has its reason. */
        REJECTED
    }

    private final Kind kind;
    private final int status;

    public ReportException(Kind kind, int status, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status, or 0 when there was no answer. */
    public int status() {
        return status;
    }
}
