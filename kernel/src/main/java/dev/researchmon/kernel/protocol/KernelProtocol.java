package dev.researchmon.kernel.protocol;

import dev.researchmon.kernel.protocol.message.BadRequestException;
import dev.researchmon.kernel.protocol.message.CommInfoReply;
import dev.researchmon.kernel.protocol.message.CompleteRequest;
import dev.researchmon.kernel.protocol.message.ErrorReply;
import dev.researchmon.kernel.protocol.message.ExecuteReply;
import dev.researchmon.kernel.protocol.message.ExecuteRequest;
import dev.researchmon.kernel.protocol.message.HistoryRequest;
import dev.researchmon.kernel.protocol.message.InputReply;
import dev.researchmon.kernel.protocol.message.InspectRequest;
import dev.researchmon.kernel.protocol.message.IsCompleteRequest;
import dev.researchmon.kernel.protocol.message.Messages;
import dev.researchmon.kernel.protocol.message.ShutdownReply;
import dev.researchmon.kernel.protocol.message.ShutdownRequest;
import dev.researchmon.kernel.protocol.message.StatusReply;
import dev.researchmon.kernel.wire.Channel;
import dev.researchmon.kernel.wire.Message;
import dev.researchmon.kernel.wire.MessageCodec;
import dev.researchmon.kernel.wire.MessageSink;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Jupyter protocol side of the kernel, as the base kernels have it: routes every message by
 * channel and type, decodes requests into records, answers control requests (interrupt, shutdown,
 * usage, kernel info) at once on the socket thread, runs shell requests in order on one worker with
 * busy/idle status around each, and aborts the execute requests queued behind a failed one
 * ({@code stop_on_error}). What a request means for the language is {@link LanguageKernel}'s.
 *
 * <pre>{@code
 * KernelProtocol protocol = new KernelProtocol(codec, sockets, iopub, javaKernel, log, sockets::stop);
 * sockets.run(protocol::handle);    // until shutdown_request
 * }</pre>
 */
public final class KernelProtocol {
    private final MessageCodec codec;
    private final MessageSink sink;
    private final Iopub iopub;
    private final LanguageKernel language;
    private final PrintStream log;
    private final Runnable shutdown;
    private final UsageProbe usage = new UsageProbe();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "shell-worker");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong served = new AtomicLong();
    private volatile long lastActive = System.nanoTime();
    /** Execute requests received up to this number are aborted after an error (stop_on_error). */
    private volatile long abortThrough = -1;
    /** The count of the last executed cell, for the replies of aborted ones. */
    private volatile int lastExecutionCount;
    /** While the worker does the language's work after an answer, which a shutdown lets finish. */
    private volatile boolean answering;

    public KernelProtocol(
            MessageCodec codec,
            MessageSink sink,
            Iopub iopub,
            LanguageKernel language,
            PrintStream log,
            Runnable shutdown) {
        this.codec = codec;
        this.sink = sink;
        this.iopub = iopub;
        this.language = language;
        this.log = log;
        this.shutdown = shutdown;
        // the worker is never interrupted or stopped (cells run on threads of their own)
        worker.execute(() -> sink.trust(Thread.currentThread()));
    }

    /** Called on the socket thread for every message. */
    public void handle(Channel channel, Message msg) {
        switch (channel) {
            case CONTROL -> control(msg);
            case SHELL -> {
                if (msg.type().equals("shutdown_request")) {
                    shutdown(channel, msg);
                } else {
                    submit(channel, msg);
                }
            }
            case STDIN -> {
                if (msg.type().equals("input_reply")) {
                    language.input(
                            Messages.read(msg.content(), InputReply.class).value());
                }
            }
            default -> log.println("research-kernel: ignoring " + msg.type() + " on " + channel);
        }
    }

    private void control(Message msg) {
        switch (msg.type()) {
            case "interrupt_request" -> {
                language.interrupt();
                reply(Channel.CONTROL, msg, StatusReply.ok());
            }
            case "shutdown_request" -> shutdown(Channel.CONTROL, msg);
            case "usage_request" -> reply(Channel.CONTROL, msg, usage.reply());
            case "kernel_info_request" -> reply(Channel.CONTROL, msg, language.kernelInfo());
            default -> submit(Channel.CONTROL, msg);
        }
    }

    private void submit(Channel channel, Message msg) {
        long seq = received.incrementAndGet();
        lastActive = System.nanoTime();
        worker.execute(() -> {
            iopub.status(msg, "busy");
            try {
                serve(channel, msg, seq);
            } catch (BadRequestException e) {
                log.println("research-kernel: " + e.getMessage());
                reply(channel, msg, ErrorReply.of("BadRequest", e.getMessage()));
            } catch (RuntimeException e) {
                log.println("research-kernel: " + msg.type() + " failed: " + e);
                e.printStackTrace(log);
                reply(channel, msg, ErrorReply.of("KernelError", msg.type() + " failed: " + e));
            } finally {
                iopub.status(msg, "idle");
                sink.release(); // what Iopub.holdUntilIdle kept back, with the idle status
                answered();
                lastActive = System.nanoTime();
                served.incrementAndGet();
            }
        });
    }

    /** The language's work after an answer; a failure there is logged, the next request still served. */
    private void answered() {
        answering = true;
        try {
            language.answered();
        } catch (RuntimeException e) {
            log.println("research-kernel: after the answer: " + e);
        } finally {
            answering = false;
        }
    }

    /**
     * Lets the work after the last answer finish, up to {@code limit}: a client may ask for the
     * shutdown as soon as it sees the idle status (nbconvert does), and what that work records
     * belongs in the last report. Returns at once when no such work runs, even during a long cell.
     */
    private void awaitAnswered(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (answering && System.nanoTime() < deadline) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void serve(Channel channel, Message msg, long seq) {
        switch (msg.type()) {
            case "execute_request" -> execute(channel, msg, seq);
            case "kernel_info_request" -> reply(channel, msg, language.kernelInfo());
            case "complete_request" -> reply(channel, msg, language.complete(read(msg, CompleteRequest.class)));
            case "inspect_request" -> reply(channel, msg, language.inspect(read(msg, InspectRequest.class)));
            case "is_complete_request" -> reply(channel, msg, language.isComplete(read(msg, IsCompleteRequest.class)));
            case "history_request" -> reply(channel, msg, language.history(read(msg, HistoryRequest.class)));
            case "comm_info_request" -> reply(channel, msg, CommInfoReply.none());
            case "comm_open", "comm_msg", "comm_close" -> {
                // no comm targets: nothing to answer
            }
            default -> log.println("research-kernel: no handler for " + msg.type());
        }
    }

    private void execute(Channel channel, Message msg, long seq) {
        ExecuteRequest request = read(msg, ExecuteRequest.class);
        if (seq <= abortThrough) {
            reply(channel, msg, ExecuteReply.aborted(lastExecutionCount));
            return;
        }
        iopub.serving(msg);
        ExecuteReply reply = language.execute(request);
        lastExecutionCount = reply.executionCount();
        if (reply.isError() && request.stopOnError()) {
            abortThrough = received.get();
        }
        reply(channel, msg, reply);
    }

    /** Whether no shell request is queued or running, nor was for {@code quiet}: background work may run. */
    public boolean idleFor(java.time.Duration quiet) {
        return served.get() == received.get() && System.nanoTime() - lastActive > quiet.toNanos();
    }

    private void shutdown(Channel channel, Message msg) {
        ShutdownReply reply = new ShutdownReply(
                "ok", Messages.read(msg.content(), ShutdownRequest.class).restart());
        awaitAnswered(Duration.ofSeconds(1));
        language.shutdown();
        reply(channel, msg, reply);
        iopub.publish(msg, "shutdown_reply", reply);
        shutdown.run();
    }

    private static <T> T read(Message msg, Class<T> type) {
        return Messages.read(msg.content(), type);
    }

    private void reply(Channel channel, Message request, Object content) {
        sink.send(
                channel, codec.reply(request, request.type().replace("_request", "_reply"), Messages.content(content)));
    }
}
