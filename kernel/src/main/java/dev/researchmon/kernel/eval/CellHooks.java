package dev.researchmon.kernel.eval;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * What a cell's rewritten classes call (see {@link CellInstrumenter}): a stop check at every method
 * entry and loop back-edge, and refusals in place of {@code System.exit}, {@code Runtime.exit} and
 * {@code Runtime.halt}. This is how a cell is stopped and kept from ending the kernel on every JDK,
 * with no {@code Thread.stop} (gone since Java 20) and no security manager (refused since 24).
 * Public because cell classes, in a loader of their own, link against it.
 *
 * <pre>{@code
 * CellHooks.stop(cellThread);   // its next loop iteration or call throws CellStoppedError
 * }</pre>
 */
public final class CellHooks {
    /** Read at every check; false almost always, so a check costs one load the JIT keeps cheap. */
    private static volatile boolean armed;

    private static volatile boolean stopEveryCellThread;
    private static final Set<Thread> doomed = ConcurrentHashMap.newKeySet();

    private CellHooks() {}

    /** Called at method entry and before every backward branch of cell code. */
    public static void checkStop() {
        if (armed) {
            stopIfAsked();
        }
    }

    private static void stopIfAsked() {
        Thread self = Thread.currentThread();
        if (doomed.contains(self) || (stopEveryCellThread && isCellThread(self))) {
            throw new CellStoppedError();
        }
    }

    /** In place of {@code System.exit(status)}. */
    public static void exit(int status) {
        throw refused("System.exit");
    }

    /** In place of {@code runtime.exit(status)}. */
    public static void exit(Runtime runtime, int status) {
        throw refused("Runtime.exit");
    }

    /** In place of {@code runtime.halt(status)}. */
    public static void halt(Runtime runtime, int status) {
        throw refused("Runtime.halt");
    }

    static SecurityException refused(String call) {
        return new SecurityException(call + " is disabled in the notebook: it would end the kernel. "
                + "Restart the kernel from the notebook's menu instead.");
    }

    /** Stops {@code thread} at its next check, and wakes it from a sleep or a wait. */
    static void stop(Thread thread) {
        doomed.add(thread);
        armed = true;
        thread.interrupt();
    }

    /**
     * Stops every thread running cell code: the cells' group (threads a cell started, pools it
     * made) and fork-join workers (parallel streams). The kernel's own threads are in neither.
     */
    static void stopEveryCellThread() {
        stopEveryCellThread = true;
        armed = true;
        Thread[] threads = new Thread[CellExecutionControl.CELLS.activeCount() + 16];
        int n = CellExecutionControl.CELLS.enumerate(threads, true);
        for (int i = 0; i < n; i++) {
            threads[i].interrupt();
        }
    }

    /** Lets cell code run on: called when a new cell starts. */
    static void disarm() {
        stopEveryCellThread = false;
        doomed.clear();
        armed = false;
    }

    static boolean isCellThread(Thread t) {
        if (t instanceof ForkJoinWorkerThread) {
            return true;
        }
        for (ThreadGroup g = t.getThreadGroup(); g != null; g = g.getParent()) {
            if (g == CellExecutionControl.CELLS) {
                return true;
            }
        }
        return false;
    }
}
