package dev.researchmon.report;

/**
 * A report that cannot be read: bad JSON, a missing field, a value of the wrong shape. The message
 * is the reason the sidecar sends back with its 400, so it names the field at fault.
 */
public class ReportFormatException extends Exception {
    public ReportFormatException(String reason) {
        super(reason);
    }

    public ReportFormatException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
