package dev.researchmon.kernel.language;

import dev.researchmon.kernel.eval.CellError;
import dev.researchmon.kernel.eval.CellOrigin;
import dev.researchmon.kernel.eval.CellThreadUsage;
import dev.researchmon.kernel.eval.CodeCompletion;
import dev.researchmon.kernel.eval.CodeInspection;
import dev.researchmon.kernel.eval.JShellEvaluator;
import dev.researchmon.kernel.magic.CellParts;
import dev.researchmon.kernel.magic.MagicRegistry;
import dev.researchmon.kernel.notebook.Notebook;
import dev.researchmon.kernel.notebook.NotebookOutput;
import dev.researchmon.kernel.protocol.Iopub;
import dev.researchmon.kernel.protocol.LanguageKernel;
import dev.researchmon.kernel.protocol.message.CompleteReply;
import dev.researchmon.kernel.protocol.message.CompleteRequest;
import dev.researchmon.kernel.protocol.message.ErrorContent;
import dev.researchmon.kernel.protocol.message.ExecuteReply;
import dev.researchmon.kernel.protocol.message.ExecuteRequest;
import dev.researchmon.kernel.protocol.message.HistoryReply;
import dev.researchmon.kernel.protocol.message.HistoryRequest;
import dev.researchmon.kernel.protocol.message.InspectReply;
import dev.researchmon.kernel.protocol.message.InspectRequest;
import dev.researchmon.kernel.protocol.message.IsCompleteReply;
import dev.researchmon.kernel.protocol.message.IsCompleteRequest;
import dev.researchmon.kernel.protocol.message.KernelInfoReply;
import dev.researchmon.kernel.wire.MessageCodec;
import dev.researchmon.magics.api.CellListener;
import dev.researchmon.magics.api.CellOutcome;
import dev.researchmon.magics.api.CellUsage;
import dev.researchmon.magics.api.Display;
import dev.researchmon.magics.api.KernelIdentity;
import dev.researchmon.magics.api.MagicUsageException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Java as a Jupyter language: the execute flow (execution count, magics and Java parts of a cell,
 * results, errors, history, cell listeners), completion, inspection and the is-complete check on
 * JShell, and the process's stdio routed to the notebook. The protocol is {@code KernelProtocol}'s.
 *
 * <pre>{@code
 * JavaKernel java = new JavaKernel(iopub, identity, log);
 * java.start();   // stdio to the notebook; JShell and the magics start in the background
 * }</pre>
 */
public final class JavaKernel implements LanguageKernel {
    static final String VERSION = "0.1.0";
    private final Iopub iopub;
    /** Asked each time: the notebook's name can change while the kernel runs (a rename). */
    private final Supplier<KernelIdentity> identity;

    private final PrintStream log;
    private final History history = new History();
    private final List<CellListener> listeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<JShellEvaluator> evaluator = new CompletableFuture<>();
    /** Loaded with JShell in the background: magic providers may be slow to start (HTTP clients). */
    private final CompletableFuture<MagicRegistry> magics = new CompletableFuture<>();

    private final MagicRunner magicRunner;
    private final StreamPublisher stdout;
    private final StreamPublisher stderr;
    private final StdinBridge stdin;
    private volatile boolean interrupted;
    private int executionCount;
    /** The cell whose listeners are told it was answered once its idle status is out; -1 for none. */
    private int unanswered = -1;

    public JavaKernel(Iopub iopub, Supplier<KernelIdentity> identity, PrintStream log) {
        this.iopub = iopub;
        this.identity = identity;
        this.log = log;
        this.stdout = new StreamPublisher("stdout", iopub::stream);
        this.stderr = new StreamPublisher("stderr", iopub::stream);
        this.stdin = new StdinBridge(this::flushStreams, iopub::askForInput);
        this.magicRunner = new MagicRunner(magics, new KernelMagicContext(this));
    }

    /** Routes the process's stdio to the notebook and starts JShell in the background. */
    public void start() {
        captureProcessStdio();
        startEvaluator();
    }

    /** Makes System.out, System.err, System.in and the cell helpers talk to the notebook. */
    private void captureProcessStdio() {
        System.setOut(new PrintStream(stdout.stream(), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(stderr.stream(), true, StandardCharsets.UTF_8));
        System.setIn(stdin);
        Notebook.attach(new NotebookOutput() {
            @Override
            public void display(Display display) {
                flushStreams();
                iopub.display(display);
            }

            @Override
            public void clearOutput(boolean wait) {
                flushStreams();
                iopub.clearOutput(wait);
            }
        });
    }

    /** Loads the magics and starts JShell on a thread of its own; requests that need them wait. */
    void startEvaluator() {
        Thread init = new Thread(
                () -> {
                    try {
                        MagicRegistry registry = MagicRegistry.load(log);
                        magics.complete(registry);
                        JShellEvaluator java = new JShellEvaluator(log);
                        java.useRecoveries(registry.recoveries());
                        // not warmed up here: a first cell sent at once is served ~200 ms sooner without,
                        // and one sent later finds JShell warmed in idle time (startup.IdleWarmUp)
                        evaluator.complete(java);
                    } catch (RuntimeException | Error e) {
                        log.println("research-kernel: JShell failed to start: " + e);
                        magics.completeExceptionally(e);
                        evaluator.completeExceptionally(e);
                    }
                },
                "jshell-init");
        init.setDaemon(true);
        init.start();
    }

    /**
     * Warms the user's JShell up ({@link JShellEvaluator#warmUp()}) unless a cell came first; for
     * idle time, since a cell waits while a warm-up snippet runs. False when JShell has not started
     * or a cell has run.
     */
    public boolean warmUpEvaluator() {
        return startedEvaluator().map(JShellEvaluator::warmUp).orElse(false);
    }

    /** Waits until JShell has started; false if it failed to. */
    public boolean awaitStarted() {
        try {
            evaluator.join();
            return true;
        } catch (RuntimeException failed) {
            return false;
        }
    }

    /** The evaluator once JShell has started; empty while it starts or if it failed to. */
    private Optional<JShellEvaluator> startedEvaluator() {
        return evaluator.isDone() && !evaluator.isCompletedExceptionally()
                ? Optional.of(evaluator.join())
                : Optional.empty();
    }

    KernelIdentity identity() {
        return identity.get();
    }

    Iopub iopub() {
        return iopub;
    }

    List<CellListener> listeners() {
        return listeners;
    }

    JShellEvaluator java() {
        return evaluator.join();
    }

    void flushStreams() {
        stdout.drain();
        stderr.drain();
    }

    @Override
    public KernelInfoReply kernelInfo() {
        Runtime.Version v = Runtime.version();
        return new KernelInfoReply(
                "ok",
                MessageCodec.PROTOCOL_VERSION,
                "research-kernel",
                VERSION,
                new KernelInfoReply.LanguageInfo("java", v.toString(), "text/x-java-source", ".jshell", "java", "java"),
                "Java " + v + " on JShell, with research monitoring (%lsmagic lists the magics)",
                false,
                List.of(new KernelInfoReply.HelpLink(
                        "Java " + v.feature() + " API",
                        "https://docs.oracle.com/en/java/javase/" + v.feature() + "/docs/api/")));
    }

    // ---- execute ---------------------------------------------------------------------------------

    @Override
    public ExecuteReply execute(ExecuteRequest request) {
        String code = request.code();
        if (request.storeHistory()) {
            executionCount++;
        }
        int count = executionCount;
        stdin.newCell(request.allowStdin());
        interrupted = false;
        magicRunner.newCell();
        if (!request.silent()) {
            iopub.executeInput(code, count);
        }
        listeners.forEach(l -> safely(() -> l.cellStarted(count)));
        CellThreadUsage.reset();
        long started = System.nanoTime();

        String pageFor = helpTarget(code);
        String page = null;
        CellResult result;
        if (pageFor != null) {
            // "String?" as in IPython: the documentation goes to the pager, nothing runs
            page = java().inspect(pageFor, pageFor.length())
                    .map(CodeInspection.Inspection::text)
                    .orElse(null);
            result = page != null
                    ? CellResult.NOTHING
                    : CellResult.failed("NameError", "no documentation for " + pageFor);
        } else {
            result = runCell(code, count);
        }

        iopub.holdUntilIdle(); // the cell has run: what is left goes out in one burst
        flushStreams();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        CellOutcome outcome =
                interrupted && result.outcome() != CellOutcome.OK ? CellOutcome.INTERRUPTED : result.outcome();
        if (result.display() != null && !request.silent()) {
            iopub.executeResult(count, result.display());
        }
        ExecuteReply reply;
        if (outcome == CellOutcome.OK) {
            reply = ExecuteReply.ok(count, page == null ? List.of() : List.of(ExecuteReply.page(page)));
        } else {
            CellError error = outcome == CellOutcome.INTERRUPTED && result.error() == null
                    ? CellError.of("Interrupted", "the cell was interrupted; earlier definitions are kept")
                    : result.error();
            ErrorContent content = new ErrorContent(error.ename(), error.evalue(), error.traceback());
            iopub.error(content);
            reply = ExecuteReply.error(count, content);
        }
        CellUsage usage = new CellUsage(took, CellThreadUsage.cpuNanos(), CellThreadUsage.allocatedBytes());
        listeners.forEach(l -> safely(() -> l.cellFinished(count, outcome, usage)));
        unanswered = count;
        if (request.storeHistory()) {
            Display d = result.display();
            history.add(count, code, d == null ? null : d.data().get("text/plain"));
        }
        return reply;
    }

    /** Tells the listeners that the last cell's idle status is out (see {@link CellListener#cellAnswered}). */
    @Override
    public void answered() {
        int count = unanswered;
        if (count >= 0) {
            unanswered = -1;
            listeners.forEach(l -> safely(() -> l.cellAnswered(count)));
        }
    }

    /** {@code NAME?} alone in a cell asks for NAME's documentation; returns NAME, else null. */
    static String helpTarget(String code) {
        String c = code.strip();
        if (c.length() < 2 || !c.endsWith("?") || c.contains("\n") || c.startsWith("%")) {
            return null;
        }
        String name = c.substring(0, c.length() - 1).strip();
        return name.matches("[\\p{L}_$][\\p{L}\\p{N}_$.]*") ? name : null;
    }

    private void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.println("research-kernel: a cell listener failed: " + e);
        }
    }

    /** Runs a cell; errors name it {@code In [count]}, with its lines. */
    CellResult runCell(String code, int count) {
        JShellEvaluator java;
        try {
            java = evaluator.join();
        } catch (RuntimeException e) {
            return CellResult.failed("KernelError", "JShell did not start: " + e);
        }
        if (interrupted) {
            // interrupted while JShell was still starting: the evaluator had nothing to stop then,
            // and the cell (perhaps a while (true) {}) must not start now
            return CellResult.INTERRUPTED;
        }
        if (!CellParts.hasMagic(code)) {
            return CellResult.of(java.evaluate(code, new CellOrigin(count, 0)));
        }
        List<CellParts.Part> parts;
        try {
            parts = CellParts.parse(code);
        } catch (MagicUsageException e) {
            return CellResult.magicFailed(e);
        }
        CellResult last = CellResult.NOTHING;
        for (CellParts.Part part : parts) {
            if (last.display() != null) {
                // an earlier part's result is shown now, only the last one is the cell's result
                flushStreams();
                iopub.display(last.display());
            }
            if (part instanceof CellParts.Code c) {
                last = CellResult.of(java.evaluate(c.source(), new CellOrigin(count, c.firstLine())));
            } else if (part instanceof CellParts.Magic m) {
                last = magicRunner.run(m);
            }
            if (last.outcome() != CellOutcome.OK) {
                return last;
            }
        }
        return last;
    }

    /** For tests: a magic beside those the providers bring. */
    void register(dev.researchmon.magics.api.Magic magic) {
        magics.join().register(magic);
    }

    // ---- control ---------------------------------------------------------------------------------

    @Override
    public void input(String line) {
        stdin.deliver(line);
    }

    @Override
    public void interrupt() {
        interrupted = true;
        startedEvaluator().ifPresent(JShellEvaluator::interrupt);
        magicRunner.interrupt();
    }

    @Override
    public void shutdown() {
        startedEvaluator().ifPresent(JShellEvaluator::interrupt);
    }

    // ---- completion, inspection, history ---------------------------------------------------------

    @Override
    public CompleteReply complete(CompleteRequest req) {
        String code = req.code();
        int cursor = charIndex(code, req.cursorPos());
        CodeCompletion.Completions found = java().complete(code, cursor);
        return CompleteReply.of(
                found.matches(),
                code.codePointCount(0, Math.max(0, Math.min(found.start(), code.length()))),
                code.codePointCount(0, found.end()));
    }

    @Override
    public InspectReply inspect(InspectRequest req) {
        String code = req.code();
        return java().inspect(code, charIndex(code, req.cursorPos()))
                .map(i -> InspectReply.found(i.text()))
                .orElseGet(InspectReply::notFound);
    }

    @Override
    public IsCompleteReply isComplete(IsCompleteRequest req) {
        String code = req.code();
        if (code.stripLeading().startsWith("%%")) {
            return code.endsWith("\n\n") || !code.contains("\n")
                    ? IsCompleteReply.complete()
                    : IsCompleteReply.incomplete("    ");
        }
        StringBuilder javaOnly = new StringBuilder();
        code.lines()
                .filter(l -> !l.stripLeading().startsWith("%"))
                .forEach(l -> javaOnly.append(l).append('\n'));
        return switch (java().isComplete(javaOnly.toString())) {
            case COMPLETE -> IsCompleteReply.complete();
            case INCOMPLETE -> IsCompleteReply.incomplete("    ");
            case INVALID -> IsCompleteReply.invalid();
        };
    }

    @Override
    public HistoryReply history(HistoryRequest req) {
        List<History.Entry> entries = switch (req.histAccessType()) {
            case "range" -> history.range(req.session(), req.start(), req.stop());
            case "search" -> history.search(req.pattern(), req.n(), req.unique());
            default -> history.tail(req.n());
        };
        List<List<Object>> rows = new ArrayList<>();
        for (History.Entry e : entries) {
            Object entry = req.output() ? java.util.Arrays.asList(e.input(), e.output()) : e.input();
            rows.add(java.util.Arrays.asList(e.session(), e.line(), entry));
        }
        return HistoryReply.of(rows);
    }

    /** Jupyter counts cursor positions in code points; Java strings index UTF-16 chars. */
    static int charIndex(String code, int codePoints) {
        int total = code.codePointCount(0, code.length());
        return code.offsetByCodePoints(0, Math.max(0, Math.min(codePoints, total)));
    }
}
