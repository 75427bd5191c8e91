package dev.researchmon.kernel.wire;

/** A message that cannot be accepted: bad frames, bad JSON or a wrong signature. */
public class WireFormatException extends Exception {
    public WireFormatException(String message) {
        super(message);
    }

    public WireFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
