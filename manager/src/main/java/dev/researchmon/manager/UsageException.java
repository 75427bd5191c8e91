package dev.researchmon.manager;

/**
 * A command line that cannot mean anything (options that contradict each other, a port out of
 * range): exit status 2 and a pointer to {@code --help}, like picocli's own parse errors. Thrown
 * where the meaning is worked out ({@link SettingsResolver}), which knows no picocli.
 *
 * <pre>{@code
 * throw new UsageException("--store-tls-cert and --store-tls-key go together");
 * }</pre>
 */
public final class UsageException extends ManagerException {
    public UsageException(String message) {
        super(message);
    }
}
