package dev.researchmon.kernel.protocol;

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
import dev.researchmon.kernel.protocol.message.Messages;
import dev.researchmon.kernel.rehearsal.IdleTurns;
import dev.researchmon.kernel.wire.ConnectionFile;
import dev.researchmon.kernel.wire.Frames;
import dev.researchmon.kernel.wire.KernelSockets;
import dev.researchmon.kernel.wire.LoopbackConnection;
import dev.researchmon.kernel.wire.Message;
import dev.researchmon.kernel.wire.MessageCodec;
import dev.researchmon.magics.api.Display;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import java.io.PrintStream;
import java.util.List;
import java.util.UUID;

/**
 * The kernel's message path run for practice while it starts: its own sockets, codec and protocol,
 * on private loopback ports with a key of their own, driven by a client of its own through
 * {@code cells} execute requests (busy, input, result, reply, idle: what a trivial cell costs the
 * protocol). No user code and no JShell take part.
 *
 * <p>Why: a kernel's first few hundred cells otherwise pay for the JIT compiling that path (jeromq,
 * Jackson, the HMAC) while they run: on a quiet 2-core machine an empty cell took 8-10 ms right after
 * start against 3 ms once warm (BENCHMARKS.md). Rehearsed while the kernel waits for its user, the
 * compiling is done before the cells that would pay for it. It runs only on its {@link IdleTurns}
 * (the kernel idle, JShell started) and never competes with a cell: measured, a rehearsal beside the
 * first cells made them slower. It gives up quietly at its deadline, and on an error with one line in
 * the kernel's log: it is an optimisation, never a reason to fail.
 *
 * <pre>{@code
 * ProtocolRehearsal.rehearse(800, IdleTurns.within(limit, () -> protocol.idleFor(QUIET) && java.started()));
 * }</pre>
 */
public final class ProtocolRehearsal {
    /** Execute round trips rehearsed at start ({@code -Dresearch.kernel.rehearsal=N}, 0 for none). */
    public static final int DEFAULT_CELLS = Integer.getInteger("research.kernel.rehearsal", 800);

    private final int cells;
    private final IdleTurns turns;

    private ProtocolRehearsal(int cells, IdleTurns turns) {
        this.cells = cells;
        this.turns = turns;
    }

    /**
     * Rehearses on this thread, each round trip on one of {@code turns}; the number of cells that
     * got their reply.
     */
    public static int rehearse(int cells, IdleTurns turns) throws Exception {
        return new ProtocolRehearsal(cells, turns).run();
    }

    private int run() throws Exception {
        if (!turns.await()) {
            return 0;
        }
        LoopbackConnection connection = LoopbackConnection.onFreePorts("research-kernel-rehearsal");
        KernelConnectionProperties props = connection.properties();
        MessageCodec kernelCodec = new MessageCodec(ConnectionFile.signer(props), UUID.randomUUID().toString());
        MessageCodec clientCodec = new MessageCodec(ConnectionFile.signer(props), UUID.randomUUID().toString());
        PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
        int done = 0;
        try (KernelSockets sockets = new KernelSockets(props, kernelCodec, quiet);
             ZContext client = new ZContext(1)) {
            Iopub iopub = new Iopub(kernelCodec, sockets);
            KernelProtocol protocol = new KernelProtocol(kernelCodec, sockets, iopub, new Understudy(iopub), quiet,
                    sockets::stop);
            Thread loop = new Thread(() -> {
                try {
                    sockets.run(protocol::handle);
                } catch (Exception ignored) {
                    // the rehearsal's sockets closed under it: it is over
                }
            }, "protocol-rehearsal-sockets");
            loop.setDaemon(true);
            loop.start();
            client.setLinger(0);
            ZMQ.Socket shell = client.createSocket(SocketType.DEALER);
            shell.setReceiveTimeOut(1000);
            shell.connect(connection.address(connection.shell()));
            ZMQ.Socket iopubIn = client.createSocket(SocketType.SUB);
            iopubIn.subscribe(new byte[0]);
            iopubIn.setReceiveTimeOut(0);
            iopubIn.connect(connection.address(connection.iopub()));
            try {
                for (int i = 0; i < cells && turns.await(); i++) {
                    if (!roundTrip(shell, iopubIn, clientCodec, "1 + 1")) {
                        break;
                    }
                    done++;
                }
            } finally {
                protocol.close();
                sockets.stop();
                loop.join(2000);
            }
        }
        return done;
    }

    /** One execute request, its reply, and whatever iopub has by then; false when no reply came. */
    private boolean roundTrip(ZMQ.Socket shell, ZMQ.Socket iopubIn, MessageCodec codec, String code) throws Exception {
        Message request = codec.request("execute_request",
                Messages.content(new ExecuteRequest(code, false, true, false, true)));
        Frames.send(shell, codec.encode(request));
        while (!turns.expired()) {
            List<byte[]> reply = Frames.receive(shell, 0);
            if (reply.isEmpty()) {
                return false;
            }
            if (request.id().equals(codec.decode(reply).parentHeader().path("msg_id").asText())) {
                List<byte[]> published;
                while (!(published = Frames.receive(iopubIn, 0)).isEmpty()) {
                    codec.decode(published);
                }
                return true;
            }
        }
        return false;
    }

    /** Plays a language for the rehearsal: each cell shows its input and a small result. */
    private static final class Understudy implements LanguageKernel {
        private final Iopub iopub;
        private int count;

        Understudy(Iopub iopub) {
            this.iopub = iopub;
        }

        @Override
        public KernelInfoReply kernelInfo() {
            throw new UnsupportedOperationException("not rehearsed");
        }

        @Override
        public ExecuteReply execute(ExecuteRequest request) {
            count++;
            iopub.executeInput(request.code(), count);
            iopub.executeResult(count, Display.text(String.valueOf(count)));
            return ExecuteReply.ok(count, List.of());
        }

        @Override
        public CompleteReply complete(CompleteRequest request) {
            throw new UnsupportedOperationException("not rehearsed");
        }

        @Override
        public InspectReply inspect(InspectRequest request) {
            throw new UnsupportedOperationException("not rehearsed");
        }

        @Override
        public IsCompleteReply isComplete(IsCompleteRequest request) {
            throw new UnsupportedOperationException("not rehearsed");
        }

        @Override
        public HistoryReply history(HistoryRequest request) {
            throw new UnsupportedOperationException("not rehearsed");
        }

        @Override
        public void input(String line) {
        }

        @Override
        public void interrupt() {
        }

        @Override
        public void shutdown() {
        }
    }
}
