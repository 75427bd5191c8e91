package dev.researchmon.kernel.language;

import dev.researchmon.kernel.magic.CellParts;
import dev.researchmon.kernel.magic.MagicRegistry;
import dev.researchmon.magics.api.Display;
import dev.researchmon.magics.api.MagicContext;
import dev.researchmon.magics.api.MagicException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a magic on a thread of its own, which an interrupt interrupts (a magic waiting on HTTP gives
 * up); one that ignores it is left to finish in the background after a short grace, and the cell
 * ends as interrupted. The shell worker itself is never interrupted: it signals the socket loop,
 * whose NIO channels an interrupt would close.
 *
 * <pre>{@code
 * CellResult r = magics.run(magicPart);   // on the shell worker
 * magics.interrupt();                      // from the socket thread
 * }</pre>
 */
final class MagicRunner {
    /** How long an interrupted magic that ignores the interrupt is waited for before the cell ends. */
    private static final long GRACE_MILLIS = 2000;

    private final CompletableFuture<MagicRegistry> registry;
    private final MagicContext context;
    private volatile Thread running;
    private volatile boolean interrupted;

    /** @param registry loaded in the background with JShell; a magic waits for it */
    MagicRunner(CompletableFuture<MagicRegistry> registry, MagicContext context) {
        this.registry = registry;
        this.context = context;
    }

    /** Forgets an interrupt of the previous cell. */
    void newCell() {
        interrupted = false;
    }

    CellResult run(CellParts.Magic m) {
        FutureTask<Display> task = new FutureTask<>(() -> registry.join().run(m.call(), m.cell(), context));
        Thread thread = new Thread(task, "magic-" + m.call().name());
        thread.setDaemon(true);
        running = thread;
        thread.start();
        try {
            long graceEnds = Long.MAX_VALUE;
            while (true) {
                try {
                    return CellResult.shown(task.get(50, TimeUnit.MILLISECONDS));
                } catch (TimeoutException e) {
                    if (interrupted && graceEnds == Long.MAX_VALUE) {
                        graceEnds = System.currentTimeMillis() + GRACE_MILLIS;
                    }
                    if (System.currentTimeMillis() > graceEnds) {
                        return CellResult.INTERRUPTED;
                    }
                }
            }
        } catch (ExecutionException e) {
            if (interrupted) {
                return CellResult.INTERRUPTED;
            }
            Throwable cause = e.getCause();
            if (cause instanceof MagicException me) {
                return CellResult.magicFailed(me);
            }
            return CellResult.magicFailed(new MagicException("%" + m.call().name() + " failed: " + cause, cause));
        } catch (InterruptedException e) {
            return CellResult.INTERRUPTED;
        } finally {
            running = null;
        }
    }

    /** Interrupts the running magic, if any. */
    void interrupt() {
        interrupted = true;
        Thread magic = running;
        if (magic != null) {
            magic.interrupt();
        }
    }
}
