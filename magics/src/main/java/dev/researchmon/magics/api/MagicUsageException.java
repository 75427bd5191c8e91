package dev.researchmon.magics.api;

/** A wrong or missing argument; the message is the usage line (and what was wrong, if known). */
public class MagicUsageException extends MagicException {
    public MagicUsageException(String message) {
        super(message);
    }
}
