package dev.researchmon.kernel.eval;

import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * Runs snippets in this JVM (so cells share the kernel's classes and its Prometheus registry), each
 * on a fresh thread of the {@link #CELLS} group. JShell's own local engine waits for every thread a
 * cell starts; this one waits only for the snippet, so a cell may leave a server thread running,
 * and keeps the snippet's value object for rich display.
 *
 * <p>Stopping works alike on Java 17 to 25 without {@code Thread.stop}: every class a cell defines
 * is rewritten as it loads ({@link CellInstrumenter}) to check for a stop at each loop iteration and
 * call, and to refuse {@code System.exit}. The first {@link #stop()} during a cell stops the cell's
 * thread; a stop with no cell running, or a second one, stops every thread running cell code.
 *
 * <pre>{@code
 * CellExecutionControl control = new CellExecutionControl(System.err);
 * JShell shell = JShell.builder().executionEngine(control.provider(), Map.of()).build();
 * }</pre>
 */
public final class CellExecutionControl extends DirectExecutionControl {
    /** Every thread that runs user code belongs here; a stopped one ends without a stack trace. */
    public static final ThreadGroup CELLS = new ThreadGroup("notebook-cells") {
        @Override
        public void uncaughtException(Thread t, Throwable e) {
            if (!(e instanceof CellStoppedError)) {
                super.uncaughtException(t, e);
            }
        }
    };
    /**
     * How long a stopped cell's thread may take to reach a stop check. Past it (a loop inside the
     * JDK's own code, which is not rewritten) the cell ends as interrupted and the thread is left
     * behind, for a second interrupt or a restart.
     */
    private static final long STOP_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final PrintStream log;
    private volatile Thread running;
    /** From {@link #cellStarted()} to {@link #cellEnded()}: one cell, one or more snippets. */
    private volatile boolean inCell;

    private volatile boolean stopped;
    private volatile long stopAskedAt;
    private volatile Object lastValue;
    private boolean warnedUninstrumented;

    public CellExecutionControl(PrintStream log) {
        this.log = log;
    }

    /** A new cell: forgets a stop request left from the previous one, and lets cell threads run on. */
    void cellStarted() {
        stopped = false;
        stopAskedAt = 0;
        lastValue = null;
        CellHooks.disarm();
        inCell = true;
    }

    /** The cell's last snippet has run: a stop from now on is for threads it left behind. */
    void cellEnded() {
        inCell = false;
    }

    /** Whether {@link #stop()} was called since {@link #cellStarted()}. */
    boolean wasStopped() {
        return stopped;
    }

    /** The object the last snippet produced (the value of an expression), not its string. */
    Object lastValue() {
        return lastValue;
    }

    @Override
    public void load(ClassBytecodes[] classes)
            throws ClassInstallException, NotImplementedException, EngineTerminationException {
        ClassBytecodes[] hooked = new ClassBytecodes[classes.length];
        for (int i = 0; i < classes.length; i++) {
            hooked[i] = new ClassBytecodes(classes[i].name(), instrumented(classes[i]));
        }
        super.load(hooked);
    }

    private byte[] instrumented(ClassBytecodes c) {
        try {
            return CellInstrumenter.instrument(c.bytecodes());
        } catch (RuntimeException e) {
            // a class file newer than the bytecode library knows: the cell still runs, unguarded
            if (!warnedUninstrumented) {
                warnedUninstrumented = true;
                log.println("research-kernel: cannot rewrite cell classes on this JDK (" + e.getMessage()
                        + "); interrupting a loop and refusing System.exit will not work");
            }
            return c.bytecodes();
        }
    }

    @Override
    protected String invoke(Method doit) throws Exception {
        lastValue = null;
        if (stopped) {
            throw new StoppedException();
        }
        AtomicReference<Object> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread cell = new Thread(
                CELLS,
                () -> {
                    try {
                        result.set(doit.invoke(null));
                    } catch (Throwable t) {
                        failure.set(t);
                    } finally {
                        CellThreadUsage.addCurrentThread(); // this thread's totals are the snippet's: it is new
                    }
                },
                "notebook-cell");
        cell.setContextClassLoader(doit.getDeclaringClass().getClassLoader());
        running = cell;
        if (stopped) {
            // stop() came between the check above and now, and may not have seen this thread
            CellHooks.stop(cell);
        }
        try {
            cell.start();
            awaitEndOrAbandon(cell);
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
        return ValueText.of(result.get(), DirectExecutionControl::valueString);
    }

    /** Waits for the cell's thread; once it is asked to stop, only for {@link #STOP_GRACE_NANOS}. */
    private void awaitEndOrAbandon(Thread cell) throws InterruptedException {
        while (cell.isAlive()) {
            cell.join(100);
            long asked = stopAskedAt;
            if (asked != 0 && System.nanoTime() - asked > STOP_GRACE_NANOS) {
                log.println("research-kernel: the interrupted cell's thread did not stop; "
                        + "interrupt again or restart the kernel if it keeps a core busy");
                return;
            }
        }
    }

    /**
     * Stops the running cell (its snippet's thread, and the snippets after it); with no cell
     * running, or when asked a second time, stops every thread that runs cell code (one a cell left
     * spinning, a parallel stream's workers).
     */
    @Override
    public void stop() {
        if (inCell && !stopped) {
            stopAskedAt = System.nanoTime();
            stopped = true;
            Thread cell = running;
            if (cell != null) {
                CellHooks.stop(cell);
            }
        } else {
            stopped = true;
            CellHooks.stopEveryCellThread();
        }
    }

    @Override
    protected void clientCodeEnter() {
        // the snippet runs on its own thread; nothing to arm here
    }

    @Override
    protected void clientCodeLeave() {}

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
