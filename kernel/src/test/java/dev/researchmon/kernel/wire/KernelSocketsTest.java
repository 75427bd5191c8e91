package dev.researchmon.kernel.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The socket loop on real loopback sockets: what the trusted thread sends while it holds waits
 * for its release and then goes out whole and in order; other threads' sends are never held.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS) // one loop and one client for all: as a kernel has
class KernelSocketsTest {
    private final ZContext client = new ZContext(1);
    private MessageCodec codec;
    private KernelSockets sockets;
    private Thread loop;
    private ZMQ.Socket shell;
    /** The client's request, which the test's messages answer. */
    private Message request;
    /** The one thread the sockets trust, as the shell worker is; runs what the test gives it. */
    private final BlockingQueue<Runnable> trustedWork = new ArrayBlockingQueue<>(8);

    private Thread trusted;

    @BeforeAll
    void start() throws Exception {
        LoopbackConnection c = LoopbackConnection.onFreePorts("hold-test");
        codec = new MessageCodec(new HMACGenerator("HmacSHA256", c.key()), "session-hold");
        sockets = new KernelSockets(c.properties(), codec, new PrintStream(OutputStream.nullOutputStream()));
        CompletableFuture<Message> firstRequest = new CompletableFuture<>();
        loop = new Thread(
                () -> {
                    try {
                        sockets.run((channel, msg) -> firstRequest.complete(msg));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                },
                "socket-loop");
        loop.start();
        trusted = new Thread(
                () -> {
                    try {
                        while (true) {
                            trustedWork.take().run();
                        }
                    } catch (InterruptedException e) {
                        // the test is over
                    }
                },
                "trusted");
        trusted.setDaemon(true);
        trusted.start();
        sockets.trust(trusted);
        // replies on the shell channel, routed to this client: no subscription to wait for, as
        // iopub's would need. The test's own jeromq client now and then never reads the kernel's
        // handshake on a fresh connection (seen with ss: the greeting sits in its receive queue),
        // so a client that hears nothing in 2 s is replaced.
        for (int attempt = 0; attempt < 5 && request == null; attempt++) {
            if (shell != null) {
                shell.close();
            }
            shell = client.createSocket(SocketType.DEALER);
            shell.setIdentity(("hold-client-" + attempt).getBytes(StandardCharsets.UTF_8));
            shell.connect(c.address(c.shell()));
            Frames.send(
                    shell,
                    codec.encode(
                            codec.request("kernel_info_request", codec.json().createObjectNode())));
            try {
                request = firstRequest.get(2, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // a new client, below
            }
        }
        assertTrue(request != null, "the socket loop heard no client in 5 tries");
    }

    private Message reply(String state) {
        return codec.reply(
                request, "status_reply", codec.json().createObjectNode().put("execution_state", state));
    }

    private void onTrusted(Runnable r) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        trustedWork.put(() -> {
            r.run();
            done.complete(null);
        });
        done.get(5, TimeUnit.SECONDS);
    }

    /** The execution states of what the client receives, up to {@code count} messages or {@code millis}' wait for one. */
    private List<String> received(int count, int millis) throws Exception {
        shell.setReceiveTimeOut(millis);
        List<String> states = new ArrayList<>();
        List<byte[]> frames;
        while (states.size() < count && !(frames = Frames.receive(shell, 0)).isEmpty()) {
            states.add(codec.decode(frames).content().path("execution_state").asText());
        }
        return states;
    }

    @Test
    void heldSends_waitForRelease_thenGoOutTogetherInOrder() throws Exception {
        onTrusted(() -> {
            sockets.hold();
            sockets.send(Channel.SHELL, reply("a"));
            sockets.send(Channel.SHELL, reply("b"));
            sockets.send(Channel.SHELL, reply("c"));
        });
        assertEquals(List.of(), received(1, 300), "nothing goes out while the trusted thread holds");
        onTrusted(sockets::release);
        assertEquals(List.of("a", "b", "c"), received(3, 2000));
    }

    @Test
    void withoutHold_trustedSendsGoOutAtOnce_andReleaseAloneDoesNothing() throws Exception {
        onTrusted(() -> {
            sockets.release();
            sockets.send(Channel.SHELL, reply("now"));
        });
        assertEquals(List.of("now"), received(1, 2000));
    }

    @Test
    void anotherThreadsSend_isNotHeld() throws Exception {
        onTrusted(sockets::hold);
        sockets.send(Channel.SHELL, reply("from-a-cell-thread")); // this test's thread is not trusted
        assertEquals(List.of("from-a-cell-thread"), received(1, 2000));
        onTrusted(() -> {
            sockets.send(Channel.SHELL, reply("held"));
            sockets.release();
        });
        assertEquals(List.of("held"), received(1, 2000));
    }
}
