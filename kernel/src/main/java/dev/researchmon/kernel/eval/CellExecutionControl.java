package dev.researchmon.kernel.eval;

import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs snippets in this JVM (so cells share the kernel's classes and its Prometheus registry), each
 * on a fresh thread of the {@link #CELLS} group that {@link #stop()} can kill. JShell's own local
 * engine waits for every thread a cell starts and stops the whole group; this one waits only for
 * the snippet, so a cell may leave a server thread running, and keeps the snippet's value object
 * for rich display.
 *
 * <pre>{@code
 * CellExecutionControl control = new CellExecutionControl();
 * JShell shell = JShell.builder().executionEngine(control.provider(), Map.of()).build();
 * }</pre>
 */
public final class CellExecutionControl extends DirectExecutionControl {
    /** Every thread that runs user code belongs here, so the exit guard can tell them apart. */
    public static final ThreadGroup CELLS = new ThreadGroup("notebook-cells");

    private volatile Thread running;
    private volatile boolean stopped;
    private volatile Object lastValue;

    /** Forgets a stop request left from a previous cell. */
    void reset() {
        stopped = false;
        lastValue = null;
    }

    /** Whether {@link #stop()} was called since {@link #reset()}. */
    boolean wasStopped() {
        return stopped;
    }

    /** The object the last snippet produced (the value of an expression), not its string. */
    Object lastValue() {
        return lastValue;
    }

    @Override
    protected String invoke(Method doit) throws Exception {
        lastValue = null;
        if (stopped) {
            throw new StoppedException();
        }
        AtomicReference<Object> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread cell = new Thread(CELLS, () -> {
            try {
                result.set(doit.invoke(null));
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "notebook-cell");
        cell.setContextClassLoader(doit.getDeclaringClass().getClassLoader());
        running = cell;
        try {
            cell.start();
            cell.join();
        } finally {
            running = null;
        }
        if (stopped) {
            throw new StoppedException();
        }
        Throwable t = failure.get();
        if (t instanceof InvocationTargetException ite) {
            throw ite;
        }
        if (t instanceof Exception e) {
            throw e;
        }
        if (t != null) {
            throw new InvocationTargetException(t);
        }
        lastValue = result.get();
        return valueString(result.get());
    }

    /**
     * Stops the running snippet. On Java 17 {@code Thread.stop} ends even a loop without calls, and
     * the CPU it used goes quiet; where the JDK no longer supports it, the thread is interrupted.
     */
    @Override
    @SuppressWarnings({"deprecation", "removal"})
    public void stop() {
        stopped = true;
        Thread cell = running;
        if (cell != null) {
            try {
                cell.stop();
            } catch (UnsupportedOperationException e) {
                cell.interrupt();
            }
        }
    }

    @Override
    protected void clientCodeEnter() {
        // the snippet runs on its own thread; nothing to arm here
    }

    @Override
    protected void clientCodeLeave() {
    }

    /** Hands this very instance to JShell. */
    public ExecutionControlProvider provider() {
        return new ExecutionControlProvider() {
            @Override
            public String name() {
                return "research-kernel-cells";
            }

            @Override
            public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
                return CellExecutionControl.this;
            }
        };
    }
}
