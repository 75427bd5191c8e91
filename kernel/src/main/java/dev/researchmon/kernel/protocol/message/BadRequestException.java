package dev.researchmon.kernel.protocol.message;

/** A request whose content does not fit its message type; answered with an error reply. */
public final class BadRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadRequestException(String type, Exception cause) {
        super("malformed " + type + ": " + firstLine(cause.getMessage()), cause);
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
