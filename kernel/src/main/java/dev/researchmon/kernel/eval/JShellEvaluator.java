package dev.researchmon.kernel.eval;

import dev.researchmon.magics.api.CellOutcome;
import dev.researchmon.magics.api.SnippetRecovery;
import java.io.File;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;

/**
 * Java cells on JShell: definitions carried across cells, several snippets per cell, the last
 * expression's value, stops and recoveries; completion and inspection ({@link CodeCompletion},
 * {@link CodeInspection}) on the same JShell, one caller at a time. Not thread-safe except
 * {@link #interrupt()}, which any thread may call while {@link #evaluate} runs.
 *
 * <pre>{@code
 * try (JShellEvaluator java = new JShellEvaluator(System.err)) {
 *     java.evaluate("int twice(int x) { return 2 * x; }");
 *     Evaluation e = java.evaluate("twice(21)");   // e.valueText() is "42"
 * }
 * }</pre>
 */
public final class JShellEvaluator implements AutoCloseable {
    /**
     * Throw-away snippets that take this JShell through each kind of cell once (expression, declaration,
     * assignment); every one names {@code warm$}, so that dropping them leaves no trace, {@code $out}
     * included.
     */
    private static final List<String> WARM_UP =
            List.of("warm$ + 1", "int warm$ = 1;", "String.valueOf(warm$)", "warm$ = 2;");

    /** The variable that holds the last expression's value; each expression cell redefines it. */
    public static final String LAST_VALUE = "$out";

    /** What every cell can use without importing it, as IJava users expect. */
    static final List<String> DEFAULT_IMPORTS = List.of(
            "import java.util.*;",
            "import java.util.function.*;",
            "import java.util.stream.*;",
            "import java.io.*;",
            "import java.math.*;",
            "import java.nio.file.*;",
            "import java.time.*;",
            "import static dev.researchmon.kernel.notebook.Notebook.*;");

    /** JShell serves one caller at a time: the shell worker, or a magic on its own thread running a cell. */
    private final Object lock = new Object();
    /** Cells evaluated so far, by {@link #evaluate}; guarded by {@link #lock}. */
    private int cellsRun;

    private final CellExecutionControl control;
    private final JShell shell;
    private final SourceCodeAnalysis analysis;
    private final CodeCompletion completion;
    private final CodeInspection inspection;
    private volatile List<SnippetRecovery> recoveries = List.of();
    /** Snippet id (JShell's {@code #id} in stack frames) to the notebook cell it came from. */
    private final Map<String, CellOrigin> origins = new java.util.concurrent.ConcurrentHashMap<>();

    public JShellEvaluator(PrintStream log) {
        control = new CellExecutionControl(log);
        shell = JShell.builder()
                .executionEngine(control.provider(), Map.of())
                .out(log)
                .err(log)
                .build();
        analysis = shell.sourceCodeAnalysis();
        completion = new CodeCompletion(analysis);
        inspection = new CodeInspection(analysis);
        // the kernel's own jars, so that cells compile against the classes they share with it
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                shell.addToClasspath(entry);
            }
        }
        for (String imp : DEFAULT_IMPORTS) {
            shell.eval(imp);
        }
    }

    /**
     * Compiles and runs {@link #WARM_UP} in this JShell so that the user's first cell does not pay for
     * its first use, unless a cell has run already (it is warm then); the kernel calls it in idle
     * time. Each snippet takes the evaluator in turn, so a cell that comes meanwhile waits for one
     * snippet at most, and the rest are skipped. Whether every snippet ran.
     */
    public boolean warmUp() {
        try {
            for (String code : WARM_UP) {
                boolean ran = exclusively(() -> {
                    if (cellsRun > 0) {
                        return false;
                    }
                    runCell(code, CellOrigin.NONE);
                    return true;
                });
                if (!ran) {
                    return false;
                }
            }
            return true;
        } finally {
            exclusively(() -> {
                shell.snippets().filter(s -> s.source().contains("warm$")).forEach(shell::drop);
                return null;
            });
        }
    }

    /** Runs every snippet of {@code code} in order; stops at the first error. */
    public Evaluation evaluate(String code) {
        return evaluate(code, CellOrigin.NONE);
    }

    /**
     * Runs every snippet of {@code code} in order; stops at the first error. Traces of errors, now
     * and in later cells calling what this code defines, name {@code origin}'s cell and lines.
     */
    public Evaluation evaluate(String code, CellOrigin origin) {
        return exclusively(() -> {
            cellsRun++;
            return runCell(code, origin);
        });
    }

    /** {@code code}'s snippets as one cell, for stops and interrupts; the caller holds {@link #lock}. */
    private Evaluation runCell(String code, CellOrigin origin) {
        control.cellStarted();
        try {
            return evaluateSnippets(code, origin);
        } finally {
            control.cellEnded();
        }
    }

    /** Runs {@code work} holding {@link #lock}. */
    private <T> T exclusively(java.util.function.Supplier<T> work) {
        synchronized (lock) {
            return work.get();
        }
    }

    private Evaluation evaluateSnippets(String code, CellOrigin origin) {
        Evaluation last = Evaluation.nothing();
        String remaining = code;
        while (!remaining.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
            String source;
            String rest;
            if (info.completeness().isComplete() || info.completeness() == Completeness.UNKNOWN) {
                source = info.source();
                rest = info.remaining();
            } else {
                // incomplete to the end: let the compiler say what is missing
                source = remaining;
                rest = "";
            }
            CellOrigin at = origin.plusLines(linesBefore(code, code.length() - remaining.length(), remaining));
            remaining = rest;
            if (source == null || source.isBlank()) {
                continue;
            }
            if (control.wasStopped()) {
                return Evaluation.interrupted();
            }
            // JShell numbers a snippet's lines wrongly after leading blank lines: start at the code
            source = source.stripLeading();
            last = looksLikeExpression(source) ? evaluateExpression(source, at) : evaluateSnippet(source, at, true);
            if (last.outcome() != CellOutcome.OK) {
                return last;
            }
        }
        return last;
    }

    /** Lines of {@code code} before the first non-blank character of {@code remaining}, which starts at {@code offset}. */
    private static int linesBefore(String code, int offset, String remaining) {
        int start = offset;
        int i = 0;
        while (i < remaining.length() && Character.isWhitespace(remaining.charAt(i))) {
            i++;
        }
        start += i;
        int lines = 0;
        for (int k = 0; k < start && k < code.length(); k++) {
            if (code.charAt(k) == '\n') {
                lines++;
            }
        }
        return lines;
    }

    /**
     * JShell gives a complete snippet a semicolon unless it is an expression; statements and
     * declarations end in one or in a brace. A wrong guess costs only the fallback below.
     */
    static boolean looksLikeExpression(String source) {
        String s = source.strip();
        return !s.isEmpty() && !s.endsWith(";") && !s.endsWith("}") && !s.startsWith("@") && !s.contains(LAST_VALUE);
    }

    /**
     * Evaluates an expression as {@code T $out = (expr);}, one redefined variable, with T the
     * expression's static type. JShell would otherwise make a new {@code $N} temporary for each
     * one, which has to be dropped again so that later cells do not import them all; and for a
     * {@code var $out} it runs two compiler passes of its own (a trial compile and a type query)
     * where asking the type once is one pass: a trivial cell's javac work drops from five tasks to
     * four, the dearest ones (BENCHMARKS.md). Where the type cannot be written down (an anonymous
     * class body, which {@code var} keeps, or a type JShell rejects) it is {@code var $out}; an
     * expression without a value (a void call, a lambda with no target) goes the ordinary way
     * at once, as does code that does not compile, so that JShell reports its errors.
     */
    private Evaluation evaluateExpression(String source, CellOrigin origin) {
        String expr = source.strip();
        String type = analysis.analyzeType(expr, expr.length());
        if (type == null) {
            return evaluateSnippet(source, origin, true);
        }
        boolean denotable = expr.indexOf('{') < 0
                && !type.contains("capture#")
                && !type.contains("<any>")
                && !type.contains("<anonymous")
                && !type.contains("&");
        if (denotable) {
            Evaluation typed = evaluateAsVariable(type, expr, source, origin);
            if (typed != null) {
                return typed;
            }
        }
        Evaluation inferred = evaluateAsVariable("var", expr, source, origin);
        return inferred != null ? inferred : evaluateSnippet(source, origin, true);
    }

    /** {@code declaredType $out = (expr);}; null when JShell rejects that declaration. */
    private Evaluation evaluateAsVariable(String declaredType, String expr, String source, CellOrigin origin) {
        List<SnippetEvent> events = eval(declaredType + " " + LAST_VALUE + " = (" + expr + ");", origin);
        if (control.wasStopped()) {
            return Evaluation.interrupted();
        }
        for (SnippetEvent event : events) {
            if (event.causeSnippet() != null) {
                continue;
            }
            if (event.status() == Snippet.Status.REJECTED) {
                return null;
            }
            if (event.exception() != null) {
                if (recovered(event.exception())) {
                    return evaluateSnippet(source, origin, false);
                }
                return Evaluation.failed(ErrorFormatter.runtimeError(event.exception(), origins::get));
            }
            return Evaluation.value(control.lastValue(), event.value());
        }
        return null;
    }

    /** Evaluates one snippet and remembers where in the notebook the snippets it made come from. */
    private List<SnippetEvent> eval(String source, CellOrigin origin) {
        List<SnippetEvent> events = shell.eval(source);
        if (origin.executionCount() >= 0) {
            for (SnippetEvent event : events) {
                if (event.causeSnippet() == null && event.snippet() != null) {
                    origins.put(event.snippet().id(), origin);
                }
            }
        }
        return events;
    }

    /** The magic providers' repairs, asked when a snippet throws (re-running a metric's cell). */
    public void useRecoveries(List<SnippetRecovery> recoveries) {
        this.recoveries = List.copyOf(recoveries);
    }

    /**
     * @param mayRetry whether a {@link SnippetRecovery} may remove the cause of a thrown exception
     *                 and have the snippet run once more
     */
    private Evaluation evaluateSnippet(String source, CellOrigin origin, boolean mayRetry) {
        List<SnippetEvent> events = eval(source, origin);
        if (control.wasStopped()) {
            return Evaluation.interrupted();
        }
        Evaluation result = Evaluation.nothing();
        for (SnippetEvent event : events) {
            if (event.causeSnippet() != null) {
                continue; // a dependent snippet re-checked because of this one
            }
            Snippet snippet = event.snippet();
            if (event.status() == Snippet.Status.REJECTED) {
                return Evaluation.failed(ErrorFormatter.compileError(
                        snippet.source(), shell.diagnostics(snippet).collect(Collectors.toList())));
            }
            if (event.exception() != null) {
                if (mayRetry && recovered(event.exception())) {
                    return evaluateSnippet(source, origin, false);
                }
                return Evaluation.failed(ErrorFormatter.runtimeError(event.exception(), origins::get));
            }
            Snippet.SubKind kind = snippet.subKind();
            if (kind == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND || kind == Snippet.SubKind.VAR_VALUE_SUBKIND) {
                result = Evaluation.value(control.lastValue(), event.value());
            } else {
                result = Evaluation.nothing();
            }
            if (kind == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND) {
                // $1, $2... would pile up and every later compile imports them all: cells slow down
                // with the notebook's length. The value has been taken; the variable is not kept.
                shell.drop(snippet);
            }
        }
        return result;
    }

    /** Whether a recovery removed the cause of {@code e}, so that the snippet may run again. */
    private boolean recovered(JShellException e) {
        String type = e instanceof EvalException eval
                ? eval.getExceptionClassName()
                : e.getClass().getName();
        String message = e.getMessage() == null ? "" : e.getMessage();
        for (SnippetRecovery recovery : recoveries) {
            try {
                if (recovery.recover(type, message)) {
                    return true;
                }
            } catch (RuntimeException broken) {
                // a faulty recovery must not hide the user's own error
            }
        }
        return false;
    }

    /** Stops the running cell, if any; the kernel and earlier definitions stay. */
    public void interrupt() {
        control.stop();
    }

    /** How many snippets are in force (declarations, imports, kept variables). */
    long activeSnippetCount() {
        return shell.snippets().filter(s -> shell.status(s).isActive()).count();
    }

    /** Adds a jar or class folder for compilation and at run time. */
    public void addToClasspath(String path) {
        exclusively(() -> {
            shell.addToClasspath(path);
            return null;
        });
    }

    /** Whether {@code code} is complete, needs more lines, or can never compile. */
    public CodeCompletion.Completion isComplete(String code) {
        return exclusively(() -> completion.isComplete(code));
    }

    /** Completions at {@code cursor} (a char index into {@code code}). */
    public CodeCompletion.Completions complete(String code, int cursor) {
        return exclusively(() -> completion.complete(code, cursor));
    }

    /** Documentation of the name the cursor is in or just after ({@link CodeInspection}). */
    public Optional<CodeInspection.Inspection> inspect(String code, int cursor) {
        return exclusively(() -> inspection.inspect(code, cursor));
    }

    @Override
    public void close() {
        shell.close();
    }
}
