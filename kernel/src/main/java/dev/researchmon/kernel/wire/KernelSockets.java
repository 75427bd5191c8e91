package dev.researchmon.kernel.wire;

import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BiConsumer;

/**
 * The kernel's five sockets and the one thread that owns them. The loop blocks in a ZMQ poll over
 * shell, control, stdin and a wake-up pipe, so a request is handled as soon as it arrives and an
 * idle kernel uses no CPU (the base libraries poll without waiting and sleep 50 ms instead).
 *
 * <pre>{@code
 * KernelSockets sockets = new KernelSockets(props, codec, log);
 * sockets.run((channel, msg) -> handlers.handle(channel, msg));  // returns after stop()
 * }</pre>
 */
public final class KernelSockets implements MessageSink, AutoCloseable {
    private record Outgoing(Channel channel, Message message) {
    }

    private final MessageCodec codec;
    private final PrintStream log;
    private final ZContext context = new ZContext(1);
    private final Map<Channel, ZMQ.Socket> sockets = new EnumMap<>(Channel.class);
    private final ZMQ.Socket heartbeat;
    private final Queue<Outgoing> outgoing = new ConcurrentLinkedQueue<>();
    private final Pipe wake;
    private volatile boolean running = true;

    public KernelSockets(KernelConnectionProperties props, MessageCodec codec, PrintStream log) throws IOException {
        this.codec = codec;
        this.log = log;
        context.setLinger(1000);
        String base = props.getTransport() + "://" + props.getIp() + (props.getTransport().equals("ipc") ? "-" : ":");
        sockets.put(Channel.SHELL, bind(SocketType.ROUTER, base + props.getShellPort()));
        sockets.put(Channel.CONTROL, bind(SocketType.ROUTER, base + props.getControlPort()));
        sockets.put(Channel.STDIN, bind(SocketType.ROUTER, base + props.getStdinPort()));
        sockets.put(Channel.IOPUB, bind(SocketType.PUB, base + props.getIopubPort()));
        heartbeat = bind(SocketType.REP, base + props.getHbPort());
        wake = Pipe.open();
        wake.source().configureBlocking(false);
        Thread hb = new Thread(this::echoHeartbeats, "jupyter-heartbeat");
        hb.setDaemon(true);
        hb.start();
    }

    private ZMQ.Socket bind(SocketType type, String address) {
        ZMQ.Socket socket = context.createSocket(type);
        socket.setLinger(1000);
        socket.bind(address);
        return socket;
    }

    private void echoHeartbeats() {
        try {
            while (running) {
                byte[] ping = heartbeat.recv(0);
                if (ping != null) {
                    heartbeat.send(ping, 0);
                }
            }
        } catch (ZMQException | IllegalStateException e) {
            // the context was closed: the kernel is shutting down
        }
    }

    @Override
    public void send(Channel channel, Message message) {
        outgoing.add(new Outgoing(channel, message));
        wakeUp();
    }

    private void wakeUp() {
        try {
            wake.sink().write(ByteBuffer.wrap(new byte[]{1}));
        } catch (IOException e) {
            // the pipe is closed only at shutdown, when nothing more needs sending
        }
    }

    /** Handles incoming messages on this thread until {@link #stop()}; sends what handlers queue. */
    public void run(BiConsumer<Channel, Message> handler) throws IOException {
        ZMQ.Poller poller = context.createPoller(4);
        List<Channel> polled = List.of(Channel.CONTROL, Channel.SHELL, Channel.STDIN);
        for (Channel c : polled) {
            poller.register(sockets.get(c), ZMQ.Poller.POLLIN);
        }
        int wakeIndex = poller.register(wake.source(), ZMQ.Poller.POLLIN);
        ByteBuffer drain = ByteBuffer.allocate(256);
        while (running) {
            poller.poll(-1);
            if (poller.pollin(wakeIndex)) {
                while (wake.source().read(drain.clear()) > 0) {
                    // emptied; the queue says what to send
                }
            }
            // control first: an interrupt must not wait behind shell traffic
            for (int i = 0; i < polled.size(); i++) {
                if (poller.pollin(i)) {
                    receive(polled.get(i), handler);
                }
            }
            flush();
        }
        flush();
        poller.close();
    }

    private void receive(Channel channel, BiConsumer<Channel, Message> handler) {
        ZMQ.Socket socket = sockets.get(channel);
        List<byte[]> frames = new ArrayList<>();
        do {
            byte[] frame = socket.recv(ZMQ.DONTWAIT);
            if (frame == null) {
                break;
            }
            frames.add(frame);
        } while (socket.hasReceiveMore());
        if (frames.isEmpty()) {
            return;
        }
        try {
            handler.accept(channel, codec.decode(frames));
        } catch (WireFormatException e) {
            log.println("research-kernel: dropped a message on " + channel + ": " + e.getMessage());
        } catch (RuntimeException e) {
            log.println("research-kernel: handler failed on " + channel + ": " + e);
            e.printStackTrace(log);
        }
    }

    private void flush() {
        Outgoing o;
        while ((o = outgoing.poll()) != null) {
            ZMQ.Socket socket = sockets.get(o.channel());
            List<byte[]> frames = codec.encode(o.message());
            for (int i = 0; i < frames.size(); i++) {
                socket.send(frames.get(i), i < frames.size() - 1 ? ZMQ.SNDMORE : 0);
            }
        }
    }

    /** Ends {@link #run} after it has sent what is queued. */
    public void stop() {
        running = false;
        wakeUp();
    }

    @Override
    public void close() {
        running = false;
        try {
            wake.sink().close();
            wake.source().close();
        } catch (IOException e) {
            // closing anyway
        }
        context.close();
    }
}
