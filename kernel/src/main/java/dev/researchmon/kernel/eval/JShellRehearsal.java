package dev.researchmon.kernel.eval;

import dev.researchmon.kernel.notebook.DisplayRenderer;
import dev.researchmon.kernel.rehearsal.IdleTurns;

import java.util.List;

/**
 * Cells compiled and run for practice while the kernel waits for its user, on a JShell of their own
 * that is closed afterwards: the user's JShell, its snippets, {@code $out} and its stops are never
 * touched, and nothing is printed.
 *
 * <p>Why: a session's first few hundred cells otherwise run javac, the cell rewriting and the
 * display of results in the interpreter and in the JIT's first tiers while the JIT compiles them,
 * and on two cores the JIT's threads and the cell share the machine: a trivial cell took twice its
 * warm time for the first 200 cells (BENCHMARKS.md). Compiled here first, that work is done by
 * the time the user's cells need it. Every cell waits for its turn (the kernel idle), so the
 * rehearsal gives way at once to a user who starts typing and resumes when they pause: at most one
 * practice cell runs beside a user's.
 *
 * <pre>{@code
 * JShellRehearsal.rehearse(300, IdleTurns.within(limit, () -> protocol.idleFor(QUIET)));
 * }</pre>
 */
public final class JShellRehearsal {
    /** Practice cells at start ({@code -Dresearch.kernel.jshell-rehearsal=N}, 0 for none). */
    public static final int DEFAULT_CELLS = Integer.getInteger("research.kernel.jshell-rehearsal", 300);

    /**
     * The kinds of cells a notebook is made of, none printing: expressions most, as in notebooks.
     * Each {@code #} becomes the number of times the list has gone round, so that no source repeats
     * and a cell's declarations are the ones the next cells of that round use.
     */
    static final List<String> CELLS = List.of(
            "1 + #",
            "int x# = #;",
            "x# * 2",
            "\"abc#\".toUpperCase().length()",
            "var l# = new ArrayList<>(List.of(3, 1, #)); Collections.sort(l#);",
            "l#",
            "long f#(int n) { long s = 0; for (int i = 0; i < n; i++) { s += i; } return s; }",
            "f#(1000)",
            "record P#(int x, String y) {}",
            "new P#(#, \"y\")",
            "IntStream.range(0, #).boxed().map(i -> i * 2).collect(Collectors.toList())",
            "Map<String, Integer> m# = new HashMap<>(); m#.merge(\"k\", #, Integer::sum);",
            "m#",
            "Integer.parseInt(\"not a number #\")",
            "# + 1.5");

    private JShellRehearsal() {
    }

    /**
     * Runs up to {@code cells} practice cells on this thread, each on one of {@code turns}; the
     * number run.
     */
    public static int rehearse(int cells, IdleTurns turns) throws InterruptedException {
        if (cells <= 0 || !turns.await()) {
            return 0;
        }
        int done = 0;
        try (JShellEvaluator java = JShellEvaluator.forRehearsal()) {
            for (int i = 0; i < cells && turns.await(); i++) {
                Evaluation e = java.evaluate(cell(i));
                if (e.hasValue()) {
                    DisplayRenderer.render(e.value(), e.valueText());
                }
                done++;
            }
        }
        return done;
    }

    /** The {@code i}th practice cell's source. */
    static String cell(int i) {
        return CELLS.get(i % CELLS.size()).replace("#", String.valueOf(i / CELLS.size()));
    }

}
