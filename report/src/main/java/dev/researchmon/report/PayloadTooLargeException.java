package dev.researchmon.report;

/** A report body longer than the bound the reader was given (the sidecar answers 413). */
public class PayloadTooLargeException extends Exception {
    private final long limitBytes;

    public PayloadTooLargeException(long limitBytes) {
        super("report body exceeds " + limitBytes + " bytes");
        this.limitBytes = limitBytes;
    }

    public long limitBytes() {
        return limitBytes;
    }
}
