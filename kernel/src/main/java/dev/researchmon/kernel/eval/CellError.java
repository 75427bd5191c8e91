package dev.researchmon.kernel.eval;

import java.util.List;

/**
 * An error as Jupyter shows it: name, value and the traceback lines.
 *
 * <pre>{@code
 * new CellError("CompileError", "cannot find symbol", List.of("CompileError: cannot find symbol", ...));
 * }</pre>
 */
public record CellError(String ename, String evalue, List<String> traceback) {
    public CellError {
        traceback = List.copyOf(traceback);
    }

    /** An error told in one line, with no stack: a magic's usage, an interrupt. */
    public static CellError of(String ename, String evalue) {
        return new CellError(ename, evalue, List.of(ename + ": " + evalue));
    }
}
