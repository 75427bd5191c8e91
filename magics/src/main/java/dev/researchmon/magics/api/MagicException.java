package dev.researchmon.magics.api;

/**
 * A failure to tell the user in one sentence (a service down, a bad query). The kernel shows the
 * message as the cell's error, without a stack trace.
 */
public class MagicException extends Exception {
    public MagicException(String message) {
        super(message);
    }

    public MagicException(String message, Throwable cause) {
        super(message, cause);
    }
}
