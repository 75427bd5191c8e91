package dev.researchmon.manager.stack;

/**
 * A service's mount: a host folder (source is an absolute path) or a named volume (source is the
 * volume's engine-side name).
 */
public record Mount(Kind kind, String source, String target, boolean readOnly) {
    public enum Kind {
        BIND,
        VOLUME
    }
}
