package dev.researchmon.kernel.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.researchmon.kernel.eval.CellError;
import dev.researchmon.kernel.eval.Evaluation;
import dev.researchmon.kernel.eval.JShellEvaluator;
import dev.researchmon.kernel.magic.CellParts;
import dev.researchmon.kernel.magic.MagicRegistry;
import dev.researchmon.kernel.notebook.DisplayRenderer;
import dev.researchmon.kernel.notebook.Notebook;
import dev.researchmon.kernel.notebook.NotebookOutput;
import dev.researchmon.kernel.wire.Channel;
import dev.researchmon.kernel.wire.Message;
import dev.researchmon.kernel.wire.MessageCodec;
import dev.researchmon.kernel.wire.MessageSink;
import dev.researchmon.magics.api.CellListener;
import dev.researchmon.magics.api.CellOutcome;
import dev.researchmon.magics.api.Display;
import dev.researchmon.magics.api.KernelIdentity;
import dev.researchmon.magics.api.MagicException;
import dev.researchmon.magics.api.MagicUsageException;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The Java kernel's request handling. The socket thread hands every message to {@link #handle};
 * control requests (interrupt, shutdown, usage, kernel info) are answered there at once, shell
 * requests run in order on one worker thread, and cells run on threads of their own below it, so
 * an interrupt is heard while a cell runs.
 *
 * <pre>{@code
 * JupyterKernel kernel = new JupyterKernel(codec, sockets, identity, log, sockets::stop);
 * kernel.start();                 // JShell starts in the background
 * sockets.run(kernel::handle);    // until shutdown_request
 * }</pre>
 */
public final class JupyterKernel {
    static final String VERSION = "0.1.0";

    private final MessageCodec codec;
    private final MessageSink sink;
    private final Iopub iopub;
    /** Asked each time: the notebook's name can change while the kernel runs (a rename). */
    private final Supplier<KernelIdentity> identity;
    private final PrintStream log;
    private final Runnable shutdown;
    private final History history = new History();
    private final UsageProbe usage = new UsageProbe();
    private final List<CellListener> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "shell-worker");
        t.setDaemon(true);
        return t;
    });
    private final CompletableFuture<JShellEvaluator> evaluator = new CompletableFuture<>();
    private final AtomicLong received = new AtomicLong();
    private final StreamPublisher stdout;
    private final StreamPublisher stderr;
    /** Loaded with JShell in the background: magic providers may be slow to start (HTTP clients). */
    private final CompletableFuture<MagicRegistry> magics = new CompletableFuture<>();
    private final KernelMagicContext magicContext;
    private final StdinBridge stdin;
    private volatile boolean interrupted;
    private volatile Thread magicThread;
    private int executionCount;
    /** Execute requests received up to this number are aborted after an error (stop_on_error). */
    private volatile long abortThrough = -1;

    public JupyterKernel(MessageCodec codec, MessageSink sink, KernelIdentity identity, PrintStream log,
                         Runnable shutdown) {
        this(codec, sink, () -> identity, log, shutdown);
    }

    public JupyterKernel(MessageCodec codec, MessageSink sink, Supplier<KernelIdentity> identity, PrintStream log,
                         Runnable shutdown) {
        this.codec = codec;
        this.sink = sink;
        this.iopub = new Iopub(codec, sink);
        this.identity = identity;
        this.log = log;
        this.shutdown = shutdown;
        this.stdout = new StreamPublisher("stdout", iopub::stream);
        this.stderr = new StreamPublisher("stderr", iopub::stream);
        this.magicContext = new KernelMagicContext(this);
        this.stdin = new StdinBridge(this::flushStreams, this::askForInput);
        // the worker is never interrupted or stopped (cells run on threads of their own)
        worker.execute(() -> sink.trust(Thread.currentThread()));
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
                stdout.drain();
                stderr.drain();
                iopub.display(display);
            }

            @Override
            public void clearOutput(boolean wait) {
                stdout.drain();
                stderr.drain();
                iopub.clearOutput(wait);
            }
        });
    }

    /** Loads the magics and starts JShell on a thread of its own; requests that need them wait. */
    void startEvaluator() {
        Thread init = new Thread(() -> {
            try {
                MagicRegistry registry = MagicRegistry.load(log);
                magics.complete(registry);
                JShellEvaluator java = new JShellEvaluator(log);
                java.useRecoveries(registry.recoveries());
                java.warmUp();
                evaluator.complete(java);
            } catch (RuntimeException | Error e) {
                log.println("research-kernel: JShell failed to start: " + e);
                magics.completeExceptionally(e);
                evaluator.completeExceptionally(e);
            }
        }, "jshell-init");
        init.setDaemon(true);
        init.start();
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

    /** Called on the socket thread for every message. */
    public void handle(Channel channel, Message msg) {
        String type = msg.type();
        if (channel == Channel.CONTROL) {
            switch (type) {
                case "interrupt_request" -> interrupt(channel, msg);
                case "shutdown_request" -> shutdown(channel, msg);
                case "usage_request" -> {
                    ObjectNode c = iopub.object();
                    usage.fill(c);
                    sink.send(channel, codec.reply(msg, "usage_reply", c));
                }
                case "kernel_info_request" -> sink.send(channel, codec.reply(msg, "kernel_info_reply", kernelInfo()));
                default -> submit(channel, msg);
            }
            return;
        }
        if (channel == Channel.SHELL) {
            if (type.equals("shutdown_request")) {
                shutdown(channel, msg);
                return;
            }
            submit(channel, msg);
        }
        if (channel == Channel.STDIN && type.equals("input_reply")) {
            stdin.deliver(msg.content().path("value").asText(""));
        }
    }

    /** An input_request about the running cell, on the stdin socket of the client that sent it. */
    private void askForInput(String prompt) {
        Message cell = iopub.parent();
        if (cell == null) {
            return;
        }
        ObjectNode c = iopub.object();
        c.put("prompt", prompt);
        c.put("password", false);
        sink.send(Channel.STDIN, codec.reply(cell, "input_request", c));
    }

    private void submit(Channel channel, Message msg) {
        long seq = received.incrementAndGet();
        worker.execute(() -> {
            iopub.status(msg, "busy");
            try {
                serve(channel, msg, seq);
            } catch (RuntimeException e) {
                log.println("research-kernel: " + msg.type() + " failed: " + e);
                e.printStackTrace(log);
            } finally {
                iopub.status(msg, "idle");
            }
        });
    }

    private void serve(Channel channel, Message msg, long seq) {
        ObjectNode c = iopub.object();
        String replyType = msg.type().replace("_request", "_reply");
        switch (msg.type()) {
            case "execute_request" -> {
                execute(channel, msg, seq);
                return;
            }
            case "kernel_info_request" -> c = kernelInfo();
            case "complete_request" -> complete(msg.content(), c);
            case "inspect_request" -> inspect(msg.content(), c);
            case "is_complete_request" -> isComplete(msg.content().path("code").asText(""), c);
            case "history_request" -> history(msg.content(), c);
            case "comm_info_request" -> {
                c.put("status", "ok");
                c.putObject("comms");
            }
            case "comm_open", "comm_msg", "comm_close" -> {
                return; // no comm targets: nothing to answer
            }
            default -> {
                log.println("research-kernel: no handler for " + msg.type());
                return;
            }
        }
        sink.send(channel, codec.reply(msg, replyType, c));
    }

    ObjectNode kernelInfo() {
        ObjectNode c = iopub.object();
        c.put("status", "ok");
        c.put("protocol_version", MessageCodec.PROTOCOL_VERSION);
        c.put("implementation", "research-kernel");
        c.put("implementation_version", VERSION);
        ObjectNode lang = c.putObject("language_info");
        lang.put("name", "java");
        lang.put("version", Runtime.version().toString());
        lang.put("mimetype", "text/x-java-source");
        lang.put("file_extension", ".jshell");
        lang.put("pygments_lexer", "java");
        lang.put("codemirror_mode", "java");
        c.put("banner", "Java " + Runtime.version() + " on JShell, with research monitoring (%lsmagic lists the magics)");
        c.put("debugger", false);
        ArrayNode links = c.putArray("help_links");
        ObjectNode api = links.addObject();
        api.put("text", "Java " + Runtime.version().feature() + " API");
        api.put("url", "https://docs.oracle.com/en/java/javase/" + Runtime.version().feature() + "/docs/api/");
        return c;
    }

    // ---- execute ---------------------------------------------------------------------------------

    private void execute(Channel channel, Message msg, long seq) {
        JsonNode req = msg.content();
        String code = req.path("code").asText("");
        boolean silent = req.path("silent").asBoolean(false);
        boolean store = req.path("store_history").asBoolean(true) && !silent;
        if (seq <= abortThrough) {
            ObjectNode aborted = iopub.object();
            aborted.put("status", "aborted");
            aborted.put("execution_count", executionCount);
            sink.send(channel, codec.reply(msg, "execute_reply", aborted));
            return;
        }
        if (store) {
            executionCount++;
        }
        int count = executionCount;
        iopub.serving(msg);
        stdin.newCell(req.path("allow_stdin").asBoolean(false));
        interrupted = false;
        if (!silent) {
            ObjectNode input = iopub.object();
            input.put("code", code);
            input.put("execution_count", count);
            iopub.publish(msg, "execute_input", input);
        }
        listeners.forEach(l -> safely(() -> l.cellStarted(count)));
        long started = System.nanoTime();

        String pageFor = helpTarget(code);
        String page = null;
        CellResult result;
        if (pageFor != null) {
            // "String?" as in IPython: the documentation goes to the pager, nothing runs
            page = java().inspect(pageFor, pageFor.length()).map(JShellEvaluator.Inspection::text).orElse(null);
            result = page != null ? new CellResult(CellOutcome.OK, null, null)
                    : new CellResult(CellOutcome.ERROR, null, CellError.of("NameError", "no documentation for " + pageFor));
        } else {
            result = runCell(code);
        }

        flushStreams();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        CellOutcome outcome = interrupted && result.outcome() != CellOutcome.OK ? CellOutcome.INTERRUPTED : result.outcome();
        if (result.display() != null && !silent) {
            ObjectNode shown = iopub.object();
            shown.put("execution_count", count);
            Iopub.putBundle(shown, result.display());
            iopub.publish(msg, "execute_result", shown);
        }
        ObjectNode reply = iopub.object();
        if (outcome == CellOutcome.OK) {
            reply.put("status", "ok");
            reply.put("execution_count", count);
            ArrayNode payload = reply.putArray("payload");
            if (page != null) {
                ObjectNode pager = payload.addObject();
                pager.put("source", "page");
                pager.putObject("data").put("text/plain", page);
                pager.put("start", 0);
            }
            reply.putObject("user_expressions");
        } else {
            CellError error = outcome == CellOutcome.INTERRUPTED && result.error() == null
                    ? CellError.of("Interrupted", "the cell was interrupted; earlier definitions are kept")
                    : result.error();
            ObjectNode err = iopub.object();
            putError(err, error);
            iopub.publish(msg, "error", err);
            reply.put("status", "error");
            reply.put("execution_count", count);
            putError(reply, error);
            if (req.path("stop_on_error").asBoolean(true)) {
                abortThrough = received.get();
            }
        }
        listeners.forEach(l -> safely(() -> l.cellFinished(count, outcome, took)));
        if (store) {
            Display d = result.display();
            history.add(count, code, d == null ? null : d.data().get("text/plain"));
        }
        sink.send(channel, codec.reply(msg, "execute_reply", reply));
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

    private static void putError(ObjectNode node, CellError error) {
        node.put("ename", error.ename());
        node.put("evalue", error.evalue());
        ArrayNode tb = node.putArray("traceback");
        error.traceback().forEach(tb::add);
    }

    private void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.println("research-kernel: a cell listener failed: " + e);
        }
    }

    /** What a cell came to: how it ended, what to show as its result, and its error. */
    record CellResult(CellOutcome outcome, Display display, CellError error) {
        static CellResult of(Evaluation e) {
            Display d = e.hasValue() ? DisplayRenderer.render(e.value(), e.valueText()) : null;
            return new CellResult(e.outcome(), d, e.error());
        }

        static CellResult magicFailed(MagicException e) {
            String ename = e instanceof MagicUsageException ? "UsageError" : "MagicError";
            return new CellResult(CellOutcome.ERROR, null, CellError.of(ename, e.getMessage()));
        }
    }

    CellResult runCell(String code) {
        JShellEvaluator java;
        try {
            java = evaluator.join();
        } catch (RuntimeException e) {
            return new CellResult(CellOutcome.ERROR, null, CellError.of("KernelError", "JShell did not start: " + e));
        }
        if (!CellParts.hasMagic(code)) {
            return CellResult.of(java.evaluate(code));
        }
        List<CellParts.Part> parts;
        try {
            parts = CellParts.parse(code);
        } catch (MagicUsageException e) {
            return CellResult.magicFailed(e);
        }
        CellResult last = new CellResult(CellOutcome.OK, null, null);
        for (int i = 0; i < parts.size(); i++) {
            CellParts.Part part = parts.get(i);
            if (last.display() != null) {
                // an earlier part's result is shown now, only the last one is the cell's result
                flushStreams();
                iopub.display(last.display());
            }
            if (part instanceof CellParts.Code c) {
                last = CellResult.of(java.evaluate(c.source()));
            } else if (part instanceof CellParts.Magic m) {
                last = runMagic(m);
            }
            if (last.outcome() != CellOutcome.OK) {
                return last;
            }
        }
        return last;
    }

    /** How long an interrupted magic that ignores the interrupt is waited for before the cell ends. */
    private static final long MAGIC_GRACE_MILLIS = 2000;

    /**
     * Runs a magic on a thread of its own, which an interrupt interrupts (a magic waiting on HTTP
     * gives up); one that ignores it is left to finish in the background after a short grace, and
     * the cell ends as interrupted. The shell worker itself is never interrupted: it signals the
     * socket loop, whose NIO channels an interrupt would close.
     */
    private CellResult runMagic(CellParts.Magic m) {
        FutureTask<Display> task = new FutureTask<>(() -> magics.join().run(m.call(), m.cell(), magicContext));
        Thread thread = new Thread(task, "magic-" + m.call().name());
        thread.setDaemon(true);
        magicThread = thread;
        thread.start();
        try {
            long graceEnds = Long.MAX_VALUE;
            while (true) {
                try {
                    return new CellResult(CellOutcome.OK, task.get(50, TimeUnit.MILLISECONDS), null);
                } catch (TimeoutException e) {
                    if (interrupted && graceEnds == Long.MAX_VALUE) {
                        graceEnds = System.currentTimeMillis() + MAGIC_GRACE_MILLIS;
                    }
                    if (System.currentTimeMillis() > graceEnds) {
                        return new CellResult(CellOutcome.INTERRUPTED, null, null);
                    }
                }
            }
        } catch (ExecutionException e) {
            if (interrupted) {
                return new CellResult(CellOutcome.INTERRUPTED, null, null);
            }
            Throwable cause = e.getCause();
            if (cause instanceof MagicException me) {
                return CellResult.magicFailed(me);
            }
            return CellResult.magicFailed(new MagicException("%" + m.call().name() + " failed: " + cause, cause));
        } catch (InterruptedException e) {
            return new CellResult(CellOutcome.INTERRUPTED, null, null);
        } finally {
            magicThread = null;
        }
    }

    /** For tests: a magic beside those the providers bring. */
    void register(dev.researchmon.magics.api.Magic magic) {
        magics.join().register(magic);
    }

    // ---- control ---------------------------------------------------------------------------------

    private void interrupt(Channel channel, Message msg) {
        interrupted = true;
        if (evaluator.isDone() && !evaluator.isCompletedExceptionally()) {
            evaluator.join().interrupt();
        }
        Thread magic = magicThread;
        if (magic != null) {
            magic.interrupt();
        }
        ObjectNode c = iopub.object();
        c.put("status", "ok");
        sink.send(channel, codec.reply(msg, "interrupt_reply", c));
    }

    private void shutdown(Channel channel, Message msg) {
        boolean restart = msg.content().path("restart").asBoolean(false);
        if (evaluator.isDone() && !evaluator.isCompletedExceptionally()) {
            evaluator.join().interrupt();
        }
        ObjectNode c = iopub.object();
        c.put("status", "ok");
        c.put("restart", restart);
        sink.send(channel, codec.reply(msg, "shutdown_reply", c));
        iopub.publish(msg, "shutdown_reply", c.deepCopy());
        shutdown.run();
    }

    // ---- completion, inspection, history ---------------------------------------------------------

    private void complete(JsonNode req, ObjectNode c) {
        String code = req.path("code").asText("");
        int cursor = charIndex(code, req.path("cursor_pos").asInt(code.codePointCount(0, code.length())));
        JShellEvaluator.Completions found = java().complete(code, cursor);
        c.put("status", "ok");
        ArrayNode matches = c.putArray("matches");
        found.matches().forEach(matches::add);
        c.put("cursor_start", code.codePointCount(0, Math.max(0, Math.min(found.start(), code.length()))));
        c.put("cursor_end", code.codePointCount(0, found.end()));
        c.putObject("metadata");
    }

    private void inspect(JsonNode req, ObjectNode c) {
        String code = req.path("code").asText("");
        int cursor = charIndex(code, req.path("cursor_pos").asInt(code.codePointCount(0, code.length())));
        var found = java().inspect(code, cursor);
        c.put("status", "ok");
        c.put("found", found.isPresent());
        ObjectNode data = c.putObject("data");
        found.ifPresent(i -> data.put("text/plain", i.text()));
        c.putObject("metadata");
    }

    private void isComplete(String code, ObjectNode c) {
        String status;
        if (code.stripLeading().startsWith("%%")) {
            status = code.endsWith("\n\n") || !code.contains("\n") ? "complete" : "incomplete";
        } else {
            StringBuilder javaOnly = new StringBuilder();
            code.lines().filter(l -> !l.stripLeading().startsWith("%")).forEach(l -> javaOnly.append(l).append('\n'));
            status = switch (java().isComplete(javaOnly.toString())) {
                case COMPLETE -> "complete";
                case INCOMPLETE -> "incomplete";
                case INVALID -> "invalid";
            };
        }
        c.put("status", status);
        if (status.equals("incomplete")) {
            c.put("indent", "    ");
        }
    }

    private void history(JsonNode req, ObjectNode c) {
        boolean output = req.path("output").asBoolean(false);
        List<History.Entry> entries = switch (req.path("hist_access_type").asText("tail")) {
            case "range" -> history.range(req.path("session").asInt(0), req.path("start").asInt(0), req.path("stop").asInt(0));
            case "search" -> history.search(req.path("pattern").asText("*"), req.path("n").asInt(0), req.path("unique").asBoolean(false));
            default -> history.tail(req.path("n").asInt(10));
        };
        c.put("status", "ok");
        ArrayNode list = c.putArray("history");
        for (History.Entry e : entries) {
            ArrayNode row = list.addArray();
            row.add(e.session());
            row.add(e.line());
            if (output) {
                ArrayNode io = row.addArray();
                io.add(e.input());
                io.add(e.output());
            } else {
                row.add(e.input());
            }
        }
    }

    /** Jupyter counts cursor positions in code points; Java strings index UTF-16 chars. */
    static int charIndex(String code, int codePoints) {
        int total = code.codePointCount(0, code.length());
        return code.offsetByCodePoints(0, Math.max(0, Math.min(codePoints, total)));
    }
}
