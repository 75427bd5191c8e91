package dev.researchmon.kernel.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.researchmon.kernel.protocol.message.CompleteReply;
import dev.researchmon.kernel.protocol.message.CompleteRequest;
import dev.researchmon.kernel.protocol.message.ExecuteReply;
import dev.researchmon.kernel.protocol.message.ExecuteRequest;
import dev.researchmon.kernel.protocol.message.HistoryReply;
import dev.researchmon.kernel.protocol.message.HistoryRequest;
import dev.researchmon.kernel.protocol.message.InspectReply;
import dev.researchmon.kernel.protocol.message.InspectRequest;
import dev.researchmon.kernel.protocol.message.IsCompleteReply;
import dev.researchmon.kernel.protocol.message.IsCompleteRequest;
import dev.researchmon.kernel.protocol.message.KernelInfoReply;
import dev.researchmon.kernel.wire.Channel;
import dev.researchmon.kernel.wire.Message;
import dev.researchmon.kernel.wire.MessageCodec;
import dev.researchmon.kernel.wire.MessageSink;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.junit.jupiter.api.Test;

/**
 * {@link LanguageKernel#answered()}: after the idle status, before the next request, and let finish
 * by a shutdown that follows at once (nbconvert asks for one as soon as it sees the last idle).
 */
class AnsweredTest {

    /** A language whose only work is what it does after an answer, and which says when things happen. */
    private static final class AfterAnswerLanguage implements LanguageKernel {
        final List<String> events = new CopyOnWriteArrayList<>();
        final CountDownLatch answering = new CountDownLatch(1);
        volatile long answerMillis;
        volatile String lastSent = "";

        @Override
        public ExecuteReply execute(ExecuteRequest request) {
            events.add("execute " + request.code());
            return ExecuteReply.ok(1, List.of());
        }

        @Override
        public void answered() {
            events.add("answered after " + lastSent);
            answering.countDown();
            try {
                Thread.sleep(answerMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            events.add("answered done");
        }

        @Override
        public void shutdown() {
            events.add("shutdown");
        }

        @Override
        public KernelInfoReply kernelInfo() {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompleteReply complete(CompleteRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public InspectReply inspect(InspectRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public IsCompleteReply isComplete(IsCompleteRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public HistoryReply history(HistoryRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void input(String line) {}

        @Override
        public void interrupt() {}
    }

    private final MessageCodec codec;
    private final AfterAnswerLanguage language = new AfterAnswerLanguage();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final KernelProtocol protocol;

    AnsweredTest() throws Exception {
        codec = new MessageCodec(new HMACGenerator("HmacSHA256", "k"), "kernel");
        MessageSink sink = (channel, message) -> language.lastSent = ClientRequests.describe(channel, message);
        PrintStream log = new PrintStream(OutputStream.nullOutputStream());
        protocol = new KernelProtocol(codec, sink, new Iopub(codec, sink), language, log, stopped::countDown);
    }

    private Message request(String type) {
        return ClientRequests.request(codec, type, codec.json().createObjectNode());
    }

    private Message execute(String code) {
        return ClientRequests.execute(codec, code);
    }

    @Test
    void answered_runsAfterTheIdleStatus_andBeforeTheNextRequest() throws Exception {
        protocol.handle(Channel.SHELL, execute("first"));
        protocol.handle(Channel.SHELL, execute("second"));
        for (int i = 0; i < 3000 && language.events.size() < 6; i++) {
            Thread.sleep(10);
        }
        assertEquals(
                List.of(
                        "execute first",
                        "answered after IOPUB:status:idle",
                        "answered done",
                        "execute second",
                        "answered after IOPUB:status:idle",
                        "answered done"),
                language.events);
    }

    @Test
    void shutdownRightAfterTheIdleStatus_letsTheWorkAfterTheAnswerFinishFirst() throws Exception {
        language.answerMillis = 300;
        protocol.handle(Channel.SHELL, execute("last cell"));
        assertTrue(language.answering.await(30, TimeUnit.SECONDS));
        protocol.handle(Channel.CONTROL, request("shutdown_request"));
        assertTrue(stopped.await(30, TimeUnit.SECONDS));
        assertEquals(
                List.of("execute last cell", "answered after IOPUB:status:idle", "answered done", "shutdown"),
                language.events);
    }
}
