package dev.researchmon.kernel.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.researchmon.magics.api.CellOutcome;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JShellEvaluatorTest {
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

    @Test
    void aLargeArray_isWrittenOutCutShort_andASmallOneWhole() {
        String text = ok("new int[5000]").valueText();
        assertTrue(text.startsWith("int[5000] { 0, 0, 0") && text.endsWith(", 0, ... 4000 more }"), text);
        assertEquals(ValueText.ELEMENTS, text.split(",").length - 1, text);
        assertEquals("int[3] { 1, 2, 3 }", ok("new int[] {1, 2, 3}").valueText());
        assertEquals(
                "String[2] { \"a\", null }", ok("new String[] {\"a\", null}").valueText());
        // a declaration of a 100 MB array is no longer a gigabyte of text (it took 12 s)
        ok("byte[] big = new byte[100_000_000];");
        assertEquals("100000000", ok("big.length").valueText());
    }

    @Test
    void definitions_areCarriedAcrossCells() {
        ok("int base = 40;");
        ok("int plusBase(int x) { return base + x; }");
        assertEquals("42", ok("plusBase(2)").valueText());
    }

    @Test
    void redefinition_replacesTheEarlierDefinition() {
        ok("String greet() { return \"hi\"; }");
        ok("String greet() { return \"hello\"; }");
        assertEquals("\"hello\"", ok("greet()").valueText());
        ok("int redefined = 1;");
        ok("long redefined = 2L;");
        assertEquals("2", ok("redefined").valueText());
    }

    @Test
    void multiSnippetCell_runsEverySnippet_andShowsTheLastValue() {
        Evaluation e = ok("int a = 2;\nint b = 3;\na * b");
        assertTrue(e.hasValue());
        assertEquals("6", e.valueText());
        assertEquals(6, e.value());
    }

    @Test
    void expressionsThatCannotBeVar_stillShowTheirValue() {
        assertEquals("null", ok("null").valueText());
        assertFalse(ok("System.out.print(\"\")").hasValue());
        assertEquals("3", ok("1 + 2").valueText());
    }

    @Test
    void lastValue_isKeptInOut() {
        ok("40 + 2");
        assertEquals("43", ok("$out + 1").valueText());
    }

    @Test
    void statementCell_hasNoValue() {
        assertFalse(ok("int unshown = 5;").hasValue());
        assertFalse(ok("System.out.print(\"\");").hasValue());
    }

    @Test
    void compileError_namesTheProblemAndUnderlinesIt() {
        Evaluation e = java.evaluate("int y = missingName + 1;");
        assertEquals(CellOutcome.ERROR, e.outcome());
        assertEquals("CompileError", e.error().ename());
        String tb = String.join("\n", e.error().traceback());
        assertTrue(tb.contains("cannot find symbol"), tb);
        assertTrue(tb.contains("    int y = missingName + 1;"), tb);
        assertTrue(tb.contains("            ^^^^^^^^^^^"), tb);
    }

    @Test
    void runtimeError_showsExceptionAndUserFramesOnly() {
        ok("int divideBy(int a, int b) { return a / b; }");
        Evaluation e = java.evaluate("divideBy(1, 0)");
        assertEquals("java.lang.ArithmeticException", e.error().ename());
        assertEquals("/ by zero", e.error().evalue());
        String tb = String.join("\n", e.error().traceback());
        assertTrue(tb.contains("divideBy(cell #"), tb);
        assertFalse(tb.contains("dev.researchmon"), tb);
        assertFalse(tb.contains("reflect"), tb);
    }

    @Test
    void errorInFirstSnippet_stopsTheRestOfTheCell() {
        Evaluation e = java.evaluate("int stopsHere = 1 / 0;\nint neverDefined = 1;");
        assertEquals(CellOutcome.ERROR, e.outcome());
        assertEquals(CellOutcome.ERROR, java.evaluate("neverDefined").outcome());
    }

    @Test
    void completion_offersMatchingNames() {
        CodeCompletion.Completions c = java.complete("StringBui", 9);
        assertTrue(c.matches().contains("StringBuilder"), c.matches().toString());
        assertEquals(0, c.start());
        ok("int completeMe = 1;");
        CodeCompletion.Completions mine = java.complete("int x = 1;\ncompleteM", 20);
        assertEquals(List.of("completeMe"), mine.matches());
        assertEquals(11, mine.start());
    }

    @Test
    void isComplete_tellsCompleteIncompleteAndInvalid() {
        assertEquals(CodeCompletion.Completion.COMPLETE, java.isComplete("int x = 1;"));
        assertEquals(CodeCompletion.Completion.COMPLETE, java.isComplete("1 + 1"));
        assertEquals(CodeCompletion.Completion.COMPLETE, java.isComplete("UnknownType t = null;"));
        assertEquals(CodeCompletion.Completion.INCOMPLETE, java.isComplete("for (int i = 0; i < 3; i++) {"));
        assertEquals(CodeCompletion.Completion.INCOMPLETE, java.isComplete("void f() {"));
        assertEquals(CodeCompletion.Completion.INVALID, java.isComplete("int x = ;"));
        assertEquals(CodeCompletion.Completion.INVALID, java.isComplete("1 +* 2"));
        assertEquals(CodeCompletion.Completion.INVALID, java.isComplete("int 1x = 2;"));
    }

    @Test
    void inspect_findsTheNameUnderOrJustBeforeTheCursor() {
        assertTrue(java.inspect("String", 6).orElseThrow().text().contains("java.lang.String"));
        assertTrue(java.inspect("String", 2).orElseThrow().text().contains("java.lang.String"));
        assertTrue(java.inspect("String ", 7).orElseThrow().text().contains("java.lang.String"));
        assertTrue(java.inspect("Math.max(", 9).orElseThrow().text().contains("max("));
        assertTrue(java.inspect("", 0).isEmpty());
    }

    @Test
    void inspect_methodWithTheCursorAnywhereInOrAfterItsName_listsEveryOverload() {
        for (String code : List.of("Math.max", "Math.max(", "Math.max(1, 2)", "Math.max (3L, 4L) ")) {
            String doc = java.inspect(code, code.length())
                    .orElseThrow(() -> new AssertionError(code))
                    .text();
            for (String overload : List.of(
                    "int Math.max(int a, int b)",
                    "long Math.max(long a, long b)",
                    "float Math.max(float a, float b)",
                    "double Math.max(double a, double b)")) {
                assertTrue(doc.contains(overload), code + " -> " + doc);
            }
        }
        assertTrue(
                java.inspect("Math.max(1, 2)", 6).orElseThrow().text().contains("double Math.max(double a, double b)"),
                "cursor inside the name");
        String println = java.inspect("System.out.println", 18).orElseThrow().text();
        assertTrue(
                println.contains("println(String x)")
                        && println.contains("println(Object x)")
                        && println.contains("println()"),
                println);
    }

    @Test
    void inspect_instanceMethodFieldVariableAndClass() {
        ok("String greeting = \"hello\";");
        assertTrue(java.inspect("greeting.length", 15).orElseThrow().text().contains("int String.length()"));
        assertTrue(java.inspect("greeting.length()", 17).orElseThrow().text().contains("int String.length()"));
        assertTrue(java.inspect("greeting", 3).orElseThrow().text().contains("java.lang.String"));
        assertTrue(java.inspect("System.out", 10).orElseThrow().text().contains("PrintStream"));
        assertTrue(java.inspect("Math.PI", 6).orElseThrow().text().contains("double"));
        assertTrue(java.inspect("List", 4).orElseThrow().text().contains("java.util.List"));
        assertTrue(java.inspect("int x = 1;", 10).isEmpty()
                || !java.inspect("int x = 1;", 10).orElseThrow().text().isBlank());
    }

    @Test
    void nameEnd_findsTheNameInOrBeforeTheCursorOrTheCallsName() {
        assertEquals(8, CodeInspection.nameEnd("Math.max(1, 2)", 5));
        assertEquals(8, CodeInspection.nameEnd("Math.max(1, 2)", 14));
        assertEquals(8, CodeInspection.nameEnd("Math.max(", 9));
        assertEquals(6, CodeInspection.nameEnd("String ", 7));
        assertEquals(-1, CodeInspection.nameEnd("1 + ", 4));
        assertEquals(-1, CodeInspection.nameEnd("", 0));
    }

    private static String trace(Evaluation e) {
        assertEquals(CellOutcome.ERROR, e.outcome());
        return String.join("\n", e.error().traceback());
    }

    @Test
    void runtimeError_namesTheNotebooksCellsAndLines_notJShellsSnippets() {
        assertEquals(
                CellOutcome.OK,
                java.evaluate("int unused = 0;\nint divide(int a, int b) {\n  return a / b;\n}", new CellOrigin(3, 0))
                        .outcome());
        String t = trace(java.evaluate("int x = 1;\ndivide(x, 0)", new CellOrigin(5, 0)));

        assertTrue(t.contains("ArithmeticException") && t.contains("/ by zero"), t);
        assertTrue(t.contains("at divide(In [3], line 3)"), t);
        assertTrue(t.contains("at <cell>(In [5], line 2)"), t);
        assertFalse(t.contains("#"), t);
    }

    @Test
    void runtimeError_showsOnlyUserFrames_notTheLibrariesCalled() {
        String t = trace(java.evaluate("Integer.parseInt(\"x\")", new CellOrigin(6, 0)));
        assertTrue(t.contains("NumberFormatException") && t.contains("at <cell>(In [6], line 1)"), t);
        assertFalse(t.contains("at java."), t);

        // client_java refusing a metric-type clash: its message says why, its frames are not the user's
        ok("var clashes = new io.prometheus.metrics.model.registry.PrometheusRegistry();");
        String c = trace(java.evaluate(
                "io.prometheus.metrics.core.metrics.Counter.builder().name(\"jobs\").register(clashes);\n"
                        + "io.prometheus.metrics.core.metrics.Gauge.builder().name(\"jobs\").register(clashes);",
                new CellOrigin(7, 0)));
        assertTrue(c.contains("IllegalArgumentException") && c.contains("at <cell>(In [7], line 2)"), c);
        assertFalse(c.contains("io.prometheus.metrics.core"), c);
    }

    @Test
    void deepRecursion_isOneLinePerRun_notAThousand() {
        ok("int down(int n) { return down(n + 1); }");
        Evaluation e = java.evaluate("down(0)", new CellOrigin(8, 0));
        String t = trace(e);
        assertTrue(t.contains("StackOverflowError") && t.contains("more times"), t);
        assertTrue(e.error().traceback().size() < 10, t);
    }

    @Test
    void interrupt_stopsATightLoop_andKeepsDefinitions() throws Exception {
        ok("int survivor = 7;");
        CompletableFuture<Evaluation> running = CompletableFuture.supplyAsync(() -> java.evaluate("while (true) {}"));
        Thread.sleep(500);
        assertFalse(running.isDone());
        java.interrupt();
        Evaluation e = running.get(10, TimeUnit.SECONDS);
        assertEquals(CellOutcome.INTERRUPTED, e.outcome());
        assertNotNull(e.error());
        // the loop's thread is gone: no live thread is left in the cells' group
        Thread.sleep(200);
        assertEquals(0, CellExecutionControl.CELLS.activeCount());
        assertEquals("8", ok("survivor + 1").valueText());
    }

    @Test
    void expressionTemporaries_doNotPileUp() {
        ok("0");
        long before = java.activeSnippetCount();
        for (int i = 0; i < 5; i++) {
            ok(i + " + 1");
        }
        assertEquals(before, java.activeSnippetCount());
    }
}
