package dev.researchmon.kernel.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.UnresolvedReferenceException;

/**
 * Turns JShell's diagnostics and exceptions into errors that read well in a notebook: a compile
 * error shows its message and the offending part of the cell underlined; a runtime exception shows
 * the exception, its causes and only the frames of the user's code, named by the notebook's cells
 * ({@code divide(In [5], line 2)}): neither the libraries it called (a client_java check that
 * failed says what in its message) nor the kernel's reflection and thread plumbing.
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

    private ErrorFormatter() {}

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
            lines.addAll(
                    underline(source, (int) d.getStartPosition(), (int) d.getEndPosition(), (int) d.getPosition()));
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
        return runtimeError(e, id -> null);
    }

    /** @param originOf the notebook cell of a JShell snippet id, or null where it is no cell's */
    static CellError runtimeError(JShellException e, Function<String, CellOrigin> originOf) {
        if (e instanceof UnresolvedReferenceException u) {
            Snippet s = u.getSnippet();
            String what = "'" + s.source().strip().lines().findFirst().orElse("") + "'";
            String msg = "attempted to use " + what + " which cannot run until what it uses is declared";
            return CellError.of("UnresolvedReference", msg);
        }
        String className = e instanceof EvalException ee
                ? ee.getExceptionClassName()
                : e.getClass().getName();
        String message = e.getMessage() == null ? "" : e.getMessage();
        List<String> lines = new ArrayList<>();
        appendThrowable(lines, e, className, message, "", originOf);
        return new CellError(className, message, lines);
    }

    private static void appendThrowable(
            List<String> lines,
            JShellException e,
            String className,
            String message,
            String prefix,
            Function<String, CellOrigin> originOf) {
        lines.add(prefix + RED + className + RESET + (message.isEmpty() ? "" : ": " + message));
        String previous = null;
        int repeats = 0;
        for (StackTraceElement frame : userFrames(e.getStackTrace())) {
            String line = "\tat " + describe(frame, originOf);
            if (line.equals(previous)) {
                repeats++; // deep recursion: one line for the run, not a thousand
                continue;
            }
            if (repeats > 0) {
                lines.add("\t... the line above " + repeats + " more time" + (repeats == 1 ? "" : "s"));
                repeats = 0;
            }
            lines.add(line);
            previous = line;
        }
        if (repeats > 0) {
            lines.add("\t... the line above " + repeats + " more time" + (repeats == 1 ? "" : "s"));
        }
        Throwable cause = e.getCause();
        if (cause instanceof JShellException c) {
            String cn = c instanceof EvalException ce
                    ? ce.getExceptionClassName()
                    : c.getClass().getName();
            appendThrowable(lines, c, cn, c.getMessage() == null ? "" : c.getMessage(), "Caused by: ", originOf);
        }
    }

    /**
     * The frames of the user's cells only (JShell names those with an empty class and a {@code #id}
     * file): library frames above or between them and the kernel's frames below are left out.
     */
    static List<StackTraceElement> userFrames(StackTraceElement[] frames) {
        List<StackTraceElement> kept = new ArrayList<>();
        for (StackTraceElement frame : frames) {
            if (isCellFrame(frame)) {
                kept.add(frame);
            }
        }
        return kept;
    }

    private static boolean isCellFrame(StackTraceElement frame) {
        return frame.getClassName().isEmpty()
                || frame.getClassName().startsWith("REPL.")
                || (frame.getFileName() != null && frame.getFileName().startsWith("#"));
    }

    static String describe(StackTraceElement frame) {
        return describe(frame, id -> null);
    }

    /**
     * {@code divide(In [5], line 2)} for user code whose cell is known, {@code divide(cell #3, line 2)}
     * (JShell's snippet id) for code no cell ran, the usual text for library frames.
     */
    static String describe(StackTraceElement frame, Function<String, CellOrigin> originOf) {
        if (!isCellFrame(frame)) {
            return frame.toString();
        }
        Matcher m = WRAPPER.matcher(frame.getClassName());
        String owner = m.matches() ? m.group(1).replace('$', '.') : "";
        String method = frame.getMethodName();
        String file = frame.getFileName();
        CellOrigin origin = file != null && file.startsWith("#") ? originOf.apply(file.substring(1)) : null;
        String where;
        String line;
        if (origin != null) {
            where = origin.describe(frame.getLineNumber());
            line = "";
        } else {
            where = file == null ? "cell" : "cell " + file;
            line = frame.getLineNumber() > 0 ? ", line " + frame.getLineNumber() : "";
        }
        String name =
                method.isEmpty() || method.equals("do_it$") ? "<cell>" : (owner.isEmpty() ? "" : owner + ".") + method;
        return name + "(" + where + line + ")";
    }
}
