package dev.researchmon.kernel.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.researchmon.magics.api.CellOutcome;
import java.io.OutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/** The user's JShell warmed up in idle time before the first cell ({@link JShellEvaluator#warmUp()}). */
class JShellWarmUpTest {
    private static JShellEvaluator fresh() {
        return new JShellEvaluator(new PrintStream(OutputStream.nullOutputStream()));
    }

    @Test
    void warmUp_beforeAnyCell_runs_andLeavesNoTraceForTheUser() {
        try (JShellEvaluator java = fresh()) {
            long before = java.activeSnippetCount();
            assertTrue(java.warmUp());
            assertEquals(before, java.activeSnippetCount());
            // neither its variable nor the last value is there for the user's first cell to find
            assertEquals(CellOutcome.ERROR, java.evaluate("warm$").outcome());
            assertEquals(CellOutcome.ERROR, java.evaluate("$out").outcome());
            assertEquals("42", java.evaluate("40 + 2").valueText());
            assertEquals("42", java.evaluate("$out").valueText());
        }
    }

    @Test
    void warmUp_afterACell_doesNothing() {
        try (JShellEvaluator java = fresh()) {
            assertEquals(CellOutcome.OK, java.evaluate("int mine = 1;").outcome());
            long before = java.activeSnippetCount();
            assertFalse(java.warmUp());
            assertEquals(before, java.activeSnippetCount());
            assertEquals("1", java.evaluate("mine").valueText());
        }
    }

    @Test
    void aCellDuringTheWarmUp_endsIt_andTheWarmUpLeavesNoTrace() throws Exception {
        try (JShellEvaluator java = fresh()) {
            long before = java.activeSnippetCount();
            Thread warming = new Thread(java::warmUp, "warm-up");
            warming.start();
            // a user's cell at any point of the warm-up: before it, between two snippets or after it
            assertEquals("7", java.evaluate("3 + 4").valueText());
            warming.join(60_000);
            assertFalse(warming.isAlive());
            assertEquals(CellOutcome.ERROR, java.evaluate("warm$").outcome());
            assertEquals(before + 1, java.activeSnippetCount(), "the user's $out, and nothing of the warm-up's");
        }
    }
}
