package dev.researchmon.manager;

/**
 * A failure the user can act on: its message is printed as it is, without a stack trace, by
 * {@link EnvironmentManager} (the one place where errors become messages).
 *
 * <pre>{@code
 * throw new ManagerException("port 9090 (prometheus) is already in use; choose another with --prometheus-port");
 * }</pre>
 */
public class ManagerException extends RuntimeException {
    public ManagerException(String message) {
        super(message);
    }

    public ManagerException(String message, Throwable cause) {
        super(message, cause);
    }
}
