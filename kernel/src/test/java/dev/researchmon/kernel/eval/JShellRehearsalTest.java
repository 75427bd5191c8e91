package dev.researchmon.kernel.eval;

import dev.researchmon.kernel.rehearsal.IdleTurns;
import dev.researchmon.magics.api.CellOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The practice cells a kernel runs at start on a JShell of their own (see {@link JShellRehearsal}). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JShellRehearsalTest {
    private static IdleTurns idleFor(int seconds, BooleanSupplier mayRun) {
        return IdleTurns.within(Duration.ofSeconds(seconds), mayRun);
    }

    @Test
    void everyPracticeCellCompiles_andOnlyTheFailingOneFails() {
        // a cell JShell rejects would practise javac's error path instead of the one users take
        try (JShellEvaluator java = JShellEvaluator.forRehearsal()) {
            for (int i = 0; i < 2 * JShellRehearsal.CELLS.size(); i++) {
                String source = JShellRehearsal.cell(i);
                Evaluation e = java.evaluate(source);
                CellOutcome expected = source.contains("not a number") ? CellOutcome.ERROR : CellOutcome.OK;
                assertEquals(expected, e.outcome(), () -> source + ": " + e.error());
            }
        }
    }

    @Test
    void runsTheCellsAskedFor_whileItMayRun() throws Exception {
        assertEquals(40, JShellRehearsal.rehearse(40, idleFor(60, () -> true)));
    }

    @Test
    void givesWayWhileTheKernelIsBusy_andGivesUpAtItsDeadline() throws Exception {
        long start = System.nanoTime();
        assertEquals(0, JShellRehearsal.rehearse(40, IdleTurns.within(Duration.ofMillis(300), () -> false)));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    void resumesWhenTheKernelIsIdleAgain() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        // busy for the first asks, as when a user's cells come one after another, then idle
        int done = JShellRehearsal.rehearse(10, idleFor(60, () -> asked.incrementAndGet() > 20));
        assertEquals(10, done);
    }

    @Test
    void leavesTheStopsAskedOfTheUsersCellThreadsAlone() throws Exception {
        // a second interrupt after the user's cell ended: stop every thread that cells left running
        CellHooks.stopEveryCellThread();
        try {
            assertEquals(5, JShellRehearsal.rehearse(5, idleFor(60, () -> true)));
            // a thread the user's cell left spinning still meets its stop after the practice cells
            AtomicBoolean stopped = new AtomicBoolean();
            Thread leftBehind = new Thread(CellExecutionControl.CELLS, () -> {
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                try {
                    while (System.nanoTime() < until) {
                        CellHooks.checkStop();
                    }
                } catch (CellStoppedError e) {
                    stopped.set(true);
                }
            }, "left-behind");
            leftBehind.start();
            leftBehind.join();
            assertTrue(stopped.get(), "the practice cells cancelled the user's stop");
        } finally {
            CellHooks.disarm();
        }
    }
}
