package dev.researchmon.ml.maven;

/** A resolution that failed, with a message for the user: which artifact, and why (missing, no network). */
public class ResolutionException extends Exception {
    public ResolutionException(String message, Throwable cause) {
        super(message, cause);
    }
}
