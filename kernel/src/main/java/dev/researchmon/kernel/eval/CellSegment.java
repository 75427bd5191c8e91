package dev.researchmon.kernel.eval;

import jdk.jshell.SourceCodeAnalysis;

/**
 * The snippet of a multi-snippet cell that holds the cursor, so that JShell's completion and
 * documentation see one snippet, with its offset in the cell.
 *
 * <pre>{@code
 * CellSegment s = CellSegment.at(analysis, "int x = 1;\nMath.ma", 18);   // "Math.ma" at offset 11
 * }</pre>
 */
record CellSegment(String text, int offset) {
    private record Segment(String text, int offset) {}

    static CellSegment at(SourceCodeAnalysis analysis, String code, int cursor) {
        int offset = 0;
        String remaining = code;
        while (true) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
            if (!info.completeness().isComplete() || info.remaining().isEmpty()) {
                return new CellSegment(remaining, offset);
            }
            int consumed = remaining.length() - info.remaining().length();
            if (offset + consumed >= cursor) {
                return new CellSegment(remaining.substring(0, consumed), offset);
            }
            offset += consumed;
            remaining = info.remaining();
        }
    }
}
