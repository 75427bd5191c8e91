package dev.researchmon.kernel.eval;

import java.util.List;
import java.util.Optional;
import jdk.jshell.SourceCodeAnalysis;

/**
 * Documentation of the name at the cursor ({@code inspect_request}, and {@code name?} in a cell), as
 * IJava gives it, from JShell's source analysis. Not thread-safe: the {@link JShellEvaluator} that
 * owns it calls it under its lock.
 *
 * <pre>{@code
 * java.inspect("Math.max(1, 2)", 5).map(CodeInspection.Inspection::text);   // every overload of max
 * }</pre>
 */
public final class CodeInspection {
    /** What is known about the name at the cursor: signatures, and javadoc where the JDK has it. */
    public record Inspection(String text) {}

    private final SourceCodeAnalysis analysis;

    CodeInspection(SourceCodeAnalysis analysis) {
        this.analysis = analysis;
    }

    /**
     * Documentation of the name the cursor is in or just after: a method with all its overloads
     * (whether or not the call's parentheses follow, and also with the cursor just after a call's
     * closing parenthesis), a class, a field or a variable.
     */
    Optional<Inspection> inspect(String code, int cursor) {
        CellSegment seg = CellSegment.at(analysis, code, cursor);
        String text = seg.text();
        int local = Math.max(0, Math.min(cursor - seg.offset(), text.length()));
        List<SourceCodeAnalysis.Documentation> docs = List.of();
        int nameEnd = nameEnd(text, local);
        if (nameEnd > 0) {
            String upToName = text.substring(0, nameEnd);
            // JShell lists every overload of a method only with the cursor just inside "name(",
            // and documents classes, fields and variables with it right after the name
            docs = analysis.documentation(upToName + "(", nameEnd + 1, true);
            if (docs.isEmpty()) {
                docs = analysis.documentation(upToName, nameEnd, true);
            }
        }
        if (docs.isEmpty()) {
            docs = analysis.documentation(text, local, true);
        }
        if (docs.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder sb = new StringBuilder();
        for (SourceCodeAnalysis.Documentation d : docs) {
            if (sb.length() > 0) {
                sb.append("\n\n");
            }
            sb.append(d.signature());
            if (d.javadoc() != null && !d.javadoc().isBlank()) {
                sb.append("\n").append(d.javadoc().strip());
            }
        }
        return Optional.of(new Inspection(sb.toString()));
    }

    /**
     * The end of the name to document: the identifier the cursor is in or right after (spaces
     * skipped), or the method name of a call whose {@code (} or {@code )} is right before the cursor;
     * -1 when there is none.
     */
    static int nameEnd(String text, int cursor) {
        int i = Math.min(cursor, text.length());
        if (i < text.length() && Character.isJavaIdentifierPart(text.charAt(i))) {
            while (i < text.length() && Character.isJavaIdentifierPart(text.charAt(i))) {
                i++;
            }
            return i;
        }
        int j = skipSpacesBack(text, i);
        if (j > 0 && text.charAt(j - 1) == ')') {
            int open = matchingOpen(text, j - 1);
            j = open < 0 ? -1 : open + 1;
        }
        if (j > 0 && text.charAt(j - 1) == '(') {
            j = skipSpacesBack(text, j - 1);
        }
        return j > 0 && Character.isJavaIdentifierPart(text.charAt(j - 1)) ? j : -1;
    }

    private static int skipSpacesBack(String text, int i) {
        while (i > 0 && Character.isWhitespace(text.charAt(i - 1))) {
            i--;
        }
        return i;
    }

    /** The index of the {@code (} that the {@code )} at {@code close} closes, or -1. */
    private static int matchingOpen(String text, int close) {
        int depth = 0;
        for (int i = close; i >= 0; i--) {
            char c = text.charAt(i);
            if (c == ')') {
                depth++;
            } else if (c == '(' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }
}
