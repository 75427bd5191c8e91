package dev.researchmon.kernel.language;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.researchmon.kernel.protocol.ClientRequests;
import dev.researchmon.kernel.protocol.Iopub;
import dev.researchmon.kernel.protocol.KernelProtocol;
import dev.researchmon.kernel.wire.Channel;
import dev.researchmon.kernel.wire.Message;
import dev.researchmon.kernel.wire.MessageCodec;
import dev.researchmon.kernel.wire.MessageSink;
import dev.researchmon.magics.api.CellListener;
import dev.researchmon.magics.api.CellOutcome;
import dev.researchmon.magics.api.KernelIdentity;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The request handling with the real JShell evaluator and message codec, the sockets replaced by a
 * queue that records what the kernel sends (the process's stdio is left alone here; the
 * integration tests cover it through real Jupyter clients).
 */
class JavaKernelTest {
    private record Sent(Channel channel, Message message) {}

    private static final BlockingQueue<Sent> sent = new LinkedBlockingQueue<>();
    private static MessageCodec codec;
    private static KernelProtocol kernel;
    private static JavaKernel javaKernel;
    private static final List<String> heard = new ArrayList<>();
    /** The last message handed to the sink, as CHANNEL:type[:execution_state]. */
    private static volatile String lastSent = "";

    @BeforeAll
    static void start() throws Exception {
        codec = new MessageCodec(new HMACGenerator("HmacSHA256", "test-key"), "kernel-session");
        MessageSink sink = (channel, message) -> {
            lastSent = ClientRequests.describe(channel, message);
            sent.add(new Sent(channel, message));
        };
        PrintStream log = new PrintStream(OutputStream.nullOutputStream());
        Iopub iopub = new Iopub(codec, sink);
        KernelIdentity identity = new KernelIdentity("k1", "", 1);
        javaKernel = new JavaKernel(iopub, () -> identity, log);
        kernel = new KernelProtocol(codec, sink, iopub, javaKernel, log, () -> {});
        javaKernel.startEvaluator();
        javaKernel.listeners().add(new CellListener() {
            @Override
            public void cellStarted(int executionCount) {
                synchronized (heard) {
                    heard.add("started " + executionCount);
                }
            }

            @Override
            public void cellFinished(int executionCount, CellOutcome outcome, Duration duration) {
                synchronized (heard) {
                    heard.add(
                            "finished " + executionCount + " " + outcome + (duration.isNegative() ? " negative" : ""));
                }
            }

            @Override
            public void cellAnswered(int executionCount) {
                synchronized (heard) {
                    heard.add("answered " + executionCount + " after " + lastSent);
                }
            }
        });
    }

    private static Message request(String type, ObjectNode content) {
        return ClientRequests.request(codec, type, content);
    }

    private static Message execute(String code) {
        return ClientRequests.execute(codec, code);
    }

    /** Everything sent about {@code request} until its idle status, in order. */
    private static List<Sent> exchange(Message request) throws InterruptedException {
        List<Sent> about = new ArrayList<>();
        while (true) {
            Sent s = sent.poll(60, TimeUnit.SECONDS);
            assertNotNull(s, "no idle status for " + request.type());
            if (!s.message().parentHeader().path("msg_id").asText().equals(request.id())) {
                continue;
            }
            about.add(s);
            if (s.message().type().equals("status")
                    && s.message().content().path("execution_state").asText().equals("idle")) {
                return about;
            }
        }
    }

    private static List<String> types(List<Sent> messages) {
        return messages.stream()
                .map(s -> s.channel() + ":" + s.message().type())
                .toList();
    }

    private static Message replyIn(List<Sent> messages) {
        return messages.stream()
                .filter(s -> s.channel() == Channel.SHELL)
                .findFirst()
                .orElseThrow()
                .message();
    }

    @Test
    void execute_sendsBusyInputResultReplyIdle_inOrder_andCountsTheCell() throws Exception {
        Message req = execute("21 * 2");
        kernel.handle(Channel.SHELL, req);
        List<Sent> out = exchange(req);
        assertEquals(
                List.of(
                        "IOPUB:status",
                        "IOPUB:execute_input",
                        "IOPUB:execute_result",
                        "SHELL:execute_reply",
                        "IOPUB:status"),
                types(out));
        Message reply = replyIn(out);
        assertEquals("ok", reply.content().path("status").asText());
        int count = reply.content().path("execution_count").asInt();
        assertEquals(
                "42",
                out.get(2).message().content().path("data").path("text/plain").asText());
        assertEquals(
                count, out.get(2).message().content().path("execution_count").asInt());
        synchronized (heard) {
            assertTrue(heard.contains("started " + count), heard.toString());
            assertTrue(heard.contains("finished " + count + " OK"), heard.toString());
        }
        // told once the idle status is out, so that what it does costs no round trip
        String answered = "answered " + count + " after IOPUB:status:idle";
        for (int i = 0; i < 500 && !heardSays(answered); i++) {
            Thread.sleep(10);
        }
        assertTrue(heardSays(answered), heard.toString());
    }

    private static boolean heardSays(String what) {
        synchronized (heard) {
            return heard.contains(what);
        }
    }

    @Test
    void failingCell_publishesErrorAndAbortsWhatWasQueuedBehindIt() throws Exception {
        Message bad = execute("throw new RuntimeException(\"no\");");
        Message queued = execute("1 + 1");
        kernel.handle(Channel.SHELL, bad);
        kernel.handle(Channel.SHELL, queued);
        List<Sent> out = exchange(bad);
        assertTrue(types(out).contains("IOPUB:error"), types(out).toString());
        Message reply = replyIn(out);
        assertEquals("error", reply.content().path("status").asText());
        assertEquals("java.lang.RuntimeException", reply.content().path("ename").asText());
        assertEquals(
                "aborted", replyIn(exchange(queued)).content().path("status").asText());
        synchronized (heard) {
            assertTrue(
                    heard.contains("finished "
                            + reply.content().path("execution_count").asInt() + " ERROR"),
                    heard.toString());
        }
        // a request that arrives after the error is run again
        Message after = execute("2 + 2");
        kernel.handle(Channel.SHELL, after);
        assertEquals("ok", replyIn(exchange(after)).content().path("status").asText());
    }

    @Test
    void silentCell_isNotCountedAndShowsNothing() throws Exception {
        Message before = execute("0");
        kernel.handle(Channel.SHELL, before);
        int count = replyIn(exchange(before)).content().path("execution_count").asInt();
        Message silent = request(
                "execute_request",
                codec.json()
                        .createObjectNode()
                        .put("code", "5")
                        .put("silent", true)
                        .put("store_history", true));
        kernel.handle(Channel.SHELL, silent);
        List<Sent> out = exchange(silent);
        assertEquals(List.of("IOPUB:status", "SHELL:execute_reply", "IOPUB:status"), types(out));
        assertEquals(count, replyIn(out).content().path("execution_count").asInt());
    }

    @Test
    void nameWithQuestionMark_sendsItsDocumentationToThePager() throws Exception {
        Message req = execute("String?");
        kernel.handle(Channel.SHELL, req);
        Message reply = replyIn(exchange(req));
        assertEquals("ok", reply.content().path("status").asText());
        assertEquals(
                "page", reply.content().path("payload").get(0).path("source").asText());
        assertTrue(reply.content()
                .path("payload")
                .get(0)
                .path("data")
                .path("text/plain")
                .asText()
                .contains("java.lang.String"));
        Message unknown = execute("NoSuchThing?");
        kernel.handle(Channel.SHELL, unknown);
        assertEquals(
                "NameError", replyIn(exchange(unknown)).content().path("ename").asText());
    }

    /** The text/plain of a cell's execute_result, or of its error's traceback when it failed. */
    private static String shown(String code) throws InterruptedException {
        Message req = execute(code);
        kernel.handle(Channel.SHELL, req);
        StringBuilder sb = new StringBuilder();
        for (Sent s : exchange(req)) {
            switch (s.message().type()) {
                case "execute_result" ->
                    sb.append(s.message()
                            .content()
                            .path("data")
                            .path("text/plain")
                            .asText());
                case "error" ->
                    s.message()
                            .content()
                            .path("traceback")
                            .forEach(l -> sb.append(l.asText()).append('\n'));
                default -> {}
            }
        }
        return sb.toString();
    }

    /** The pager text of {@code NAME?}, failing when there is none. */
    private static String help(String code) throws InterruptedException {
        Message req = execute(code);
        kernel.handle(Channel.SHELL, req);
        Message reply = replyIn(exchange(req));
        assertEquals("ok", reply.content().path("status").asText(), code + ": " + reply.content());
        return reply.content()
                .path("payload")
                .get(0)
                .path("data")
                .path("text/plain")
                .asText();
    }

    @Test
    void stringResult_isShownAsItsText_notAsAJavaLiteral() throws Exception {
        assertEquals("{\"a\":1}", shown("\"{\\\"a\\\":1}\""));
        assertEquals("[\n  1,\n  2\n]", shown("\"[\\n  1,\\n  2\\n]\""));
        assertEquals("x", shown("'x'"));
        assertEquals("[1, 2]", shown("List.of(1, 2)"));
    }

    @Test
    void helpForMethodsFieldsAndMembers_listsEveryOverload() throws Exception {
        String max = help("Math.max?");
        assertTrue(
                max.contains("int Math.max(int a, int b)") && max.contains("double Math.max(double a, double b)"), max);
        shown("String greeting = \"hello\";");
        assertTrue(help("greeting.length?").contains("int String.length()"));
        String println = help("System.out.println?");
        assertTrue(println.contains("println(String x)") && println.contains("println(int x)"), println);
        assertTrue(help("System.out?").contains("PrintStream"));
    }

    @Test
    void inspectRequest_cursorInTheNameOrAfterTheCall_listsEveryOverload() throws Exception {
        for (int cursor : new int[] {6, 8, 9, 14}) {
            Message req = request(
                    "inspect_request",
                    codec.json()
                            .createObjectNode()
                            .put("code", "Math.max(1, 2)")
                            .put("cursor_pos", cursor)
                            .put("detail_level", 0));
            kernel.handle(Channel.SHELL, req);
            Message reply = replyIn(exchange(req));
            String text = reply.content().path("data").path("text/plain").asText();
            assertTrue(reply.content().path("found").asBoolean(), "cursor " + cursor);
            assertTrue(
                    text.contains("int Math.max(int a, int b)") && text.contains("long Math.max(long a, long b)"),
                    "cursor " + cursor + ": " + text);
        }
    }

    @Test
    void errorTrace_namesTheExecutionCountAndCellLine_evenAfterALineMagic() throws Exception {
        Message def = execute("int half(int x) {\n  return 10 / x;\n}");
        kernel.handle(Channel.SHELL, def);
        int defined = replyIn(exchange(def)).content().path("execution_count").asInt();
        Message req = execute("%lsmagic\nint zero = 0;\nhalf(zero)");
        kernel.handle(Channel.SHELL, req);
        List<Sent> out = exchange(req);
        int count = replyIn(out).content().path("execution_count").asInt();
        String trace = out.stream()
                .filter(s -> s.message().type().equals("error"))
                .findFirst()
                .orElseThrow()
                .message()
                .content()
                .path("traceback")
                .toString();

        assertTrue(trace.contains("half(In [" + defined + "], line 2)"), trace);
        assertTrue(trace.contains("<cell>(In [" + count + "], line 3)"), trace);
    }

    @Test
    void metricTypeClash_showsTheMessage_andNoClientJavaFrames() throws Exception {
        String t = shown("""
                io.prometheus.metrics.core.metrics.Counter.builder().name("clash_probe").help("c").register();
                io.prometheus.metrics.core.metrics.Gauge.builder().name("clash_probe").help("g").register();""");
        assertTrue(t.contains("IllegalArgumentException") && t.contains("clash_probe: Conflicting metric types"), t);
        assertTrue(t.contains("at <cell>(In ["), t);
        assertFalse(t.contains("io.prometheus.metrics.model") || t.contains("at io."), t);
    }

    @Test
    void helpTarget_takesOnlyANameFollowedByAQuestionMark() {
        assertEquals("Math.max", JavaKernel.helpTarget(" Math.max? "));
        assertEquals(null, JavaKernel.helpTarget("x > 0 ? 1 : 2"));
        assertEquals(null, JavaKernel.helpTarget("int a;\nString?"));
        assertEquals(null, JavaKernel.helpTarget("?"));
    }

    @Test
    void interrupt_endsAMagicWaitingOnIo_andTheNextCellRuns() throws Exception {
        javaKernel.register(new dev.researchmon.magics.api.Magic() {
            public dev.researchmon.magics.api.MagicSignature signature() {
                return dev.researchmon.magics.api.MagicSignature.line("wait", "waits on a service")
                        .build();
            }

            public dev.researchmon.magics.api.Display execute(
                    dev.researchmon.magics.api.MagicCall call, dev.researchmon.magics.api.MagicContext ctx)
                    throws dev.researchmon.magics.api.MagicException {
                try {
                    Thread.sleep(60_000); // stands for a query to a service that does not answer
                    return null;
                } catch (InterruptedException e) {
                    throw new dev.researchmon.magics.api.MagicException("interrupted");
                }
            }
        });
        Message cell = execute("%wait");
        kernel.handle(Channel.SHELL, cell);
        Thread.sleep(500);
        long asked = System.nanoTime();
        kernel.handle(Channel.CONTROL, request("interrupt_request", codec.json().createObjectNode()));
        Message reply = replyIn(exchange(cell));
        assertTrue(System.nanoTime() - asked < TimeUnit.SECONDS.toNanos(5), "the magic was not interrupted");
        assertEquals("Interrupted", reply.content().path("ename").asText());
        Message next = execute("1 + 1");
        kernel.handle(Channel.SHELL, next);
        assertEquals("ok", replyIn(exchange(next)).content().path("status").asText());
    }

    @Test
    void kernelInfoAndCommInfo_replyWithStatusOk() throws Exception {
        for (String type : List.of("kernel_info_request", "comm_info_request")) {
            Message req = request(type, codec.json().createObjectNode());
            kernel.handle(Channel.SHELL, req);
            Message reply = replyIn(exchange(req));
            assertEquals(type.replace("_request", "_reply"), reply.type());
            assertEquals("ok", reply.content().path("status").asText());
        }
    }

    @Test
    void malformedRequest_getsAnErrorReplyNamingTheProblem_andTheKernelGoesOn() throws Exception {
        Message bad = request(
                "complete_request",
                codec.json().createObjectNode().put("code", "Stri").put("cursor_pos", "end"));
        kernel.handle(Channel.SHELL, bad);
        Message reply = replyIn(exchange(bad));
        assertEquals("complete_reply", reply.type());
        assertEquals("error", reply.content().path("status").asText());
        assertEquals("BadRequest", reply.content().path("ename").asText());
        assertTrue(
                reply.content().path("evalue").asText().contains("CompleteRequest"),
                reply.content().toString());
        Message next = execute("3 + 3");
        kernel.handle(Channel.SHELL, next);
        assertEquals("ok", replyIn(exchange(next)).content().path("status").asText());
    }

    @Test
    void usageRequest_onControl_isAnsweredAtOnce() throws Exception {
        Message req = request("usage_request", codec.json().createObjectNode());
        kernel.handle(Channel.CONTROL, req);
        Sent s = sent.poll(10, TimeUnit.SECONDS);
        while (s != null && !s.message().parentHeader().path("msg_id").asText().equals(req.id())) {
            s = sent.poll(10, TimeUnit.SECONDS);
        }
        assertNotNull(s);
        assertEquals(Channel.CONTROL, s.channel());
        assertEquals("usage_reply", s.message().type());
        assertEquals(
                ProcessHandle.current().pid(), s.message().content().path("pid").asLong());
        assertTrue(s.message().content().path("kernel_memory").asLong() > 0);
    }
}
