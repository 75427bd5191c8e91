package dev.researchmon.kernel.protocol;

import dev.researchmon.kernel.eval.CellExecutionControl;

import java.security.Permission;

/**
 * Refuses {@code System.exit} and {@code Runtime.halt} from notebook code, which would otherwise
 * kill the kernel and leave the notebook talking to nothing. Everything else is allowed: this is not
 * a sandbox. Needs {@code -Djava.security.manager=allow} on Java 18 and later; the launcher and the
 * kernelspec pass it.
 *
 * <pre>{@code
 * ExitGuard.install();   // then System.exit(1) in a cell throws SecurityException
 * }</pre>
 */
@SuppressWarnings({"removal", "deprecation"})
final class ExitGuard extends SecurityManager {
    static final String MESSAGE = "System.exit is disabled in the notebook: it would kill the kernel. "
            + "Restart the kernel from the notebook's menu instead.";

    /** Installs the guard; returns false (and the kernel runs unguarded) where the JDK refuses. */
    static boolean install() {
        try {
            System.setSecurityManager(new ExitGuard());
            return true;
        } catch (UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    @Override
    public void checkExit(int status) {
        ThreadGroup g = Thread.currentThread().getThreadGroup();
        while (g != null) {
            if (g == CellExecutionControl.CELLS) {
                throw new SecurityException(MESSAGE);
            }
            g = g.getParent();
        }
    }

    @Override
    public void checkPermission(Permission perm) {
        // everything else is allowed
    }

    @Override
    public void checkPermission(Permission perm, Object context) {
    }
}
