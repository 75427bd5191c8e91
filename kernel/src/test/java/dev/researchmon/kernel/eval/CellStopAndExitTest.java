package dev.researchmon.kernel.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.researchmon.magics.api.CellOutcome;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The execution engine's stop and exit handling, on whatever JDK runs the build (CI runs the kernel
 * ITs on 17 and 25 as well): cells are stopped by the checks their rewritten classes make, not by
 * {@code Thread.stop}, and exit calls are refused.
 */
class CellStopAndExitTest {
    private static JShellEvaluator java;

    @BeforeAll
    static void start() {
        java = new JShellEvaluator(new PrintStream(OutputStream.nullOutputStream()));
    }

    @AfterAll
    static void stop() {
        java.close();
    }

    private static Evaluation ok(String code) {
        Evaluation e = java.evaluate(code);
        assertEquals(CellOutcome.OK, e.outcome(), () -> "unexpected error: " + e.error());
        return e;
    }

    /** Runs {@code code}, interrupts it once it has been running a while, and returns how it ended. */
    private static Evaluation interrupted(String code) throws Exception {
        CompletableFuture<Evaluation> running = CompletableFuture.supplyAsync(() -> java.evaluate(code));
        Thread.sleep(400);
        assertFalse(running.isDone(), "the cell ended by itself");
        java.interrupt();
        return running.get(10, TimeUnit.SECONDS);
    }

    @Test
    void interrupt_stopsALoopInAMethodTheCellDefined() throws Exception {
        ok("long spin(long n) { long s = 0; for (;;) { s += n; } }");
        assertEquals(CellOutcome.INTERRUPTED, interrupted("spin(3)").outcome());
        assertEquals("2", ok("1 + 1").valueText());
    }

    @Test
    void interrupt_stopsAnEndlessStreamPipeline() throws Exception {
        assertEquals(
                CellOutcome.INTERRUPTED,
                interrupted("IntStream.iterate(0, i -> i + 1).map(i -> i * 2).sum()")
                        .outcome());
    }

    @Test
    void interrupt_stopsALoopThatCatchesEverything() throws Exception {
        Evaluation e = interrupted("while (true) { try { Thread.sleep(5); } catch (Throwable t) { } }");
        assertEquals(CellOutcome.INTERRUPTED, e.outcome());
    }

    @Test
    void interrupt_whenIdle_stopsAThreadACellLeftSpinning() throws Exception {
        Evaluation started = ok("Thread spinner = new Thread(() -> { while (true) { } }); spinner.start(); spinner");
        Thread spinner = (Thread) started.value();
        Thread.sleep(200);
        assertTrue(spinner.isAlive(), "a cell may leave a thread running");
        java.interrupt();
        spinner.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(spinner.isAlive(), "the second interrupt left the thread spinning");
        assertEquals("3", ok("1 + 2").valueText());
    }

    @Test
    void secondInterrupt_stopsThreadsTheInterruptedCellStarted() throws Exception {
        CompletableFuture<Evaluation> running = CompletableFuture.supplyAsync(() -> java.evaluate(
                "Thread helper = new Thread(() -> { while (true) { } }, \"helper-spin\"); helper.start(); "
                        + "helper.join();"));
        Thread helper = awaitCellThread("helper-spin");
        Thread.sleep(200);
        java.interrupt();
        assertEquals(CellOutcome.INTERRUPTED, running.get(10, TimeUnit.SECONDS).outcome());
        assertTrue(helper.isAlive(), "the first interrupt is for the cell's own thread only");
        java.interrupt();
        helper.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(helper.isAlive());
    }

    /** The thread of that name among the cells' threads, once a cell has started it. */
    private static Thread awaitCellThread(String name) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Thread[] threads = new Thread[64];
            int n = CellExecutionControl.CELLS.enumerate(threads);
            for (int i = 0; i < n; i++) {
                if (threads[i].getName().equals(name)) {
                    return threads[i];
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no cell thread named " + name);
    }

    @Test
    void systemExit_isRefusedWithAClearError_andTheCellsAfterRun() {
        Evaluation e = java.evaluate("System.exit(0);");
        assertEquals(CellOutcome.ERROR, e.outcome());
        assertEquals("java.lang.SecurityException", e.error().ename());
        assertTrue(
                e.error().evalue().contains("System.exit is disabled in the notebook"),
                e.error().evalue());
        assertEquals("4", ok("2 + 2").valueText());
    }

    @Test
    void runtimeExitAndHalt_areRefused() {
        Evaluation exit = java.evaluate("Runtime.getRuntime().exit(2);");
        assertTrue(
                exit.error().evalue().contains("Runtime.exit is disabled"),
                exit.error().evalue());
        Evaluation halt = java.evaluate("Runtime r = Runtime.getRuntime(); r.halt(1);");
        assertTrue(
                halt.error().evalue().contains("Runtime.halt is disabled"),
                halt.error().evalue());
    }

    @Test
    void exitAsAMethodReference_orInAMethodTheCellDefined_isRefused() {
        Evaluation ref = java.evaluate("IntConsumer quit = System::exit; quit.accept(1);");
        assertEquals("java.lang.SecurityException", ref.error().ename());
        Evaluation bound = java.evaluate("IntConsumer halt = Runtime.getRuntime()::halt; halt.accept(1);");
        assertTrue(
                bound.error().evalue().contains("Runtime.halt is disabled"),
                bound.error().evalue());
        ok("void leave() { System.exit(5); }");
        Evaluation viaMethod = java.evaluate("leave()");
        assertTrue(
                viaMethod.error().evalue().contains("System.exit is disabled"),
                viaMethod.error().evalue());
    }

    @Test
    void outOfMemory_inACell_isAnErrorAndTheEvaluatorGoesOn() {
        ok("int keptThroughOom = 9;");
        Evaluation e = java.evaluate("long[] tooBig = new long[Integer.MAX_VALUE - 8];");
        assertEquals(CellOutcome.ERROR, e.outcome());
        assertEquals("java.lang.OutOfMemoryError", e.error().ename());
        assertEquals("10", ok("keptThroughOom + 1").valueText());
    }

    @Test
    void checksInLoops_leaveResultsUnchanged() {
        ok("long sumTo(int n) { long s = 0; for (int i = 1; i <= n; i++) { s += i; } return s; }");
        assertEquals("5000050000", ok("sumTo(100000)").valueText());
        assertEquals("7", ok("switch (3) { case 3 -> 7; default -> 0; }").valueText());
    }
}
