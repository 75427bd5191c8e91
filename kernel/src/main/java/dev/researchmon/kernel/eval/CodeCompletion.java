package dev.researchmon.kernel.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;

/**
 * What the notebook asks while the user types, answered by JShell's source analysis: whether a cell
 * is complete ({@code is_complete_request}) and the completions at the cursor. Not thread-safe: the
 * {@link JShellEvaluator} that owns it calls it under its lock.
 *
 * <pre>{@code
 * CodeCompletion.Completions c = java.complete("StringBui", 9);   // c.matches() holds "StringBuilder"
 * }</pre>
 */
public final class CodeCompletion {
    /** The status of a cell for {@code is_complete_request}. */
    public enum Completion {
        COMPLETE,
        INCOMPLETE,
        INVALID
    }

    /** Completion matches for the text between {@code start} and the cursor. */
    public record Completions(List<String> matches, int start, int end) {}

    private final SourceCodeAnalysis analysis;
    private final SyntaxChecker syntax = new SyntaxChecker();

    CodeCompletion(SourceCodeAnalysis analysis) {
        this.analysis = analysis;
    }

    /** Whether {@code code} is complete, needs more lines, or can never compile. */
    Completion isComplete(String code) {
        String remaining = code;
        while (!remaining.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
            Completeness c = info.completeness();
            if (c == Completeness.EMPTY) {
                return Completion.COMPLETE;
            }
            if (c == Completeness.UNKNOWN) {
                return Completion.INVALID;
            }
            if (!c.isComplete()) {
                return Completion.INCOMPLETE;
            }
            if (!syntax.parses(info.source())) {
                return Completion.INVALID;
            }
            remaining = info.remaining();
        }
        return Completion.COMPLETE;
    }

    /** Completions at {@code cursor} (a char index into {@code code}). */
    Completions complete(String code, int cursor) {
        CellSegment seg = CellSegment.at(analysis, code, cursor);
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> suggestions =
                analysis.completionSuggestions(seg.text(), cursor - seg.offset(), anchor);
        Set<String> matches = new LinkedHashSet<>();
        suggestions.stream()
                .sorted(Comparator.comparing((SourceCodeAnalysis.Suggestion s) -> !s.matchesType())
                        .thenComparing(SourceCodeAnalysis.Suggestion::continuation))
                .forEach(s -> matches.add(s.continuation()));
        return new Completions(new ArrayList<>(matches), anchor[0] + seg.offset(), cursor);
    }
}
