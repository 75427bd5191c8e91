package dev.researchmon.kernel.eval;

import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.UnresolvedReferenceException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns JShell's diagnostics and exceptions into errors that read well in a notebook: a compile
 * error shows its message and the offending part of the cell underlined; a runtime exception shows
 * the exception and only the frames of the user's code (and of the library calls it made), never
 * the kernel's reflection and thread plumbing.
 *
 * <pre>{@code
 * CellError e = ErrorFormatter.compileError(snippet.source(), diagnostics);
 * }</pre>
 */
final class ErrorFormatter {
    private static final String RED = "\u001b[0;31m";
    private static final String RESET = "\u001b[0m";
    /** JShell's wrapper classes: REPL.$JShell$12 or REPL.$JShell$12$Inner. */
    private static final Pattern WRAPPER = Pattern.compile("REPL\\.\\$JShell\\$\\d+[A-Z]?\\$?(.*)");

    private ErrorFormatter() {
    }

    static CellError compileError(String source, List<Diag> diagnostics) {
        List<String> lines = new ArrayList<>();
        String first = null;
        for (Diag d : diagnostics) {
            if (!d.isError()) {
                continue;
            }
            String message = d.getMessage(Locale.ROOT);
            if (first == null) {
                first = message.lines().findFirst().orElse(message);
            }
            lines.add(RED + "CompileError" + RESET + ": " + message);
            lines.addAll(underline(source, (int) d.getStartPosition(), (int) d.getEndPosition(), (int) d.getPosition()));
        }
        if (first == null) {
            first = "the code does not compile";
            lines.add("CompileError: " + first);
        }
        return new CellError("CompileError", first, lines);
    }

    /** The source line(s) holding [start, end) with carets under the offending part. */
    static List<String> underline(String source, int start, int end, int position) {
        if (position < 0 || position > source.length()) {
            return List.of();
        }
        if (start < 0 || start > position) {
            start = position;
        }
        if (end <= start || end > source.length()) {
            end = Math.min(source.length(), Math.max(position, start) + 1);
        }
        int lineStart = source.lastIndexOf('\n', Math.max(0, start - 1)) + 1;
        if (start == 0) {
            lineStart = 0;
        }
        int lineEnd = source.indexOf('\n', start);
        if (lineEnd < 0) {
            lineEnd = source.length();
        }
        String line = source.substring(lineStart, lineEnd);
        int markEnd = Math.min(end, lineEnd);
        String marks = " ".repeat(start - lineStart) + "^".repeat(Math.max(1, markEnd - start));
        return List.of("    " + line, "    " + marks);
    }

    static CellError runtimeError(JShellException e) {
        if (e instanceof UnresolvedReferenceException u) {
            Snippet s = u.getSnippet();
            String what = "'" + s.source().strip().lines().findFirst().orElse("") + "'";
            String msg = "attempted to use " + what + " which cannot run until what it uses is declared";
            return CellError.of("UnresolvedReference", msg);
        }
        String className = e instanceof EvalException ee ? ee.getExceptionClassName() : e.getClass().getName();
        String message = e.getMessage() == null ? "" : e.getMessage();
        List<String> lines = new ArrayList<>();
        appendThrowable(lines, e, className, message, "");
        return new CellError(className, message, lines);
    }

    private static void appendThrowable(List<String> lines, JShellException e, String className, String message,
                                        String prefix) {
        lines.add(prefix + RED + className + RESET + (message.isEmpty() ? "" : ": " + message));
        for (StackTraceElement frame : userFrames(e.getStackTrace())) {
            lines.add("\tat " + describe(frame));
        }
        Throwable cause = e.getCause();
        if (cause instanceof JShellException c) {
            String cn = c instanceof EvalException ce ? ce.getExceptionClassName() : c.getClass().getName();
            appendThrowable(lines, c, cn, c.getMessage() == null ? "" : c.getMessage(), "Caused by: ");
        }
    }

    /**
     * Frames down to the last one of the user's cells (JShell names those with an empty class and a
     * {@code #id} file); what lies below is how the kernel called the cell.
     */
    static List<StackTraceElement> userFrames(StackTraceElement[] frames) {
        int last = -1;
        for (int i = 0; i < frames.length; i++) {
            if (isCellFrame(frames[i])) {
                last = i;
            }
        }
        List<StackTraceElement> kept = new ArrayList<>();
        for (int i = 0; i <= last; i++) {
            kept.add(frames[i]);
        }
        return kept;
    }

    private static boolean isCellFrame(StackTraceElement frame) {
        return frame.getClassName().isEmpty() || frame.getClassName().startsWith("REPL.")
                || (frame.getFileName() != null && frame.getFileName().startsWith("#"));
    }

    /** {@code divide(cell #3, line 2)} for user code, the usual text for library frames. */
    static String describe(StackTraceElement frame) {
        if (!isCellFrame(frame)) {
            return frame.toString();
        }
        Matcher m = WRAPPER.matcher(frame.getClassName());
        String owner = m.matches() ? m.group(1).replace('$', '.') : "";
        String method = frame.getMethodName();
        String where = frame.getFileName() == null ? "cell" : "cell " + frame.getFileName();
        String line = frame.getLineNumber() > 0 ? ", line " + frame.getLineNumber() : "";
        String name = method.isEmpty() || method.equals("do_it$") ? "<cell>"
                : (owner.isEmpty() ? "" : owner + ".") + method;
        return name + "(" + where + line + ")";
    }
}
