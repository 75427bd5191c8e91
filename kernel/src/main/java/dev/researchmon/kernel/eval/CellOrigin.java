package dev.researchmon.kernel.eval;

/**
 * Where a piece of code sits in the notebook: the cell's execution count ({@code In [5]}) and the
 * cell line it starts on, so that an error names the lines the user sees, not JShell's snippet ids.
 *
 * <pre>{@code
 * java.evaluate(code, new CellOrigin(5, 0));   // a trace then reads "divide(In [5], line 2)"
 * }</pre>
 *
 * @param executionCount the cell's {@code execution_count}
 * @param firstLine      the 0-based line of the cell where the code starts (after a line magic, say)
 */
public record CellOrigin(int executionCount, int firstLine) {
    /** Code that is no cell of the notebook (a magic's own evaluation, the warm-up). */
    public static final CellOrigin NONE = new CellOrigin(-1, 0);

    /** The same cell, {@code lines} further down. */
    CellOrigin plusLines(int lines) {
        return new CellOrigin(executionCount, firstLine + lines);
    }

    /** {@code In [5], line 3} for {@code line} (1-based) of the snippet starting here. */
    String describe(int line) {
        return "In [" + executionCount + "]" + (line > 0 ? ", line " + (firstLine + line) : "");
    }
}
