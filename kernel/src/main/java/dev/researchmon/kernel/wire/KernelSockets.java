package dev.researchmon.kernel.wire;

import java.io.IOException;
import java.io.PrintStream;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * The kernel's five sockets and the one thread that owns them. The loop blocks in a ZMQ poll over
 * shell, control, stdin and an inproc wake-up socket, so a request is handled as soon as it arrives and an
 * idle kernel's socket thread uses no CPU (the base libraries poll without waiting and sleep 50 ms
 * instead); only the heartbeat thread wakes, four times a second, to see whether it should end.
 *
 * <pre>{@code
 * KernelSockets sockets = new KernelSockets(props, codec, log);
 * sockets.run((channel, msg) -> handlers.handle(channel, msg));  // returns after stop()
 * }</pre>
 */
public final class KernelSockets implements MessageSink, AutoCloseable {
    private static final byte[] WAKE = {1};

    private record Outgoing(Channel channel, Message message) {}

    private final MessageCodec codec;
    private final PrintStream log;
    private final ZContext context = new ZContext(1);
    private final Map<Channel, ZMQ.Socket> sockets = new EnumMap<>(Channel.class);
    private final ZMQ.Socket heartbeat;
    private final Queue<Outgoing> outgoing = new ConcurrentLinkedQueue<>();
    /** Senders signal the loop through this inproc pair, by way of {@link #forwardWakeUps}. */
    private final ZMQ.Socket wakeSender;

    private final ZMQ.Socket wakeReceiver;
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final Semaphore wakeRequests = new Semaphore(0);
    private volatile Thread trusted;
    /** Set and read by the trusted thread only: {@link #hold()} is in force. */
    private boolean holding;

    private volatile boolean running = true;
    private final Thread heartbeatThread;
    private final Thread wakerThread;

    public KernelSockets(KernelConnectionProperties props, MessageCodec codec, PrintStream log) throws IOException {
        this.codec = codec;
        this.log = log;
        context.setLinger(1000);
        String base = props.getTransport() + "://" + props.getIp()
                + (props.getTransport().equals("ipc") ? "-" : ":");
        sockets.put(Channel.SHELL, bind(SocketType.ROUTER, base + props.getShellPort()));
        sockets.put(Channel.CONTROL, bind(SocketType.ROUTER, base + props.getControlPort()));
        sockets.put(Channel.STDIN, bind(SocketType.ROUTER, base + props.getStdinPort()));
        sockets.put(Channel.IOPUB, bind(SocketType.PUB, base + props.getIopubPort()));
        heartbeat = bind(SocketType.REP, base + props.getHbPort());
        String wakeAddress = "inproc://wake-" + System.identityHashCode(this);
        wakeReceiver = bind(SocketType.PULL, wakeAddress);
        wakeSender = context.createSocket(SocketType.PUSH);
        wakeSender.setLinger(0);
        wakeSender.connect(wakeAddress);
        // the heartbeat thread looks at running this often, so that it ends, and closes nothing
        // under another thread, before the context does (a context closed under a thread blocked
        // in recv could wait for ever)
        heartbeat.setReceiveTimeOut(250);
        heartbeatThread = new Thread(this::echoHeartbeats, "jupyter-heartbeat");
        heartbeatThread.setDaemon(true);
        heartbeatThread.start();
        wakerThread = new Thread(this::forwardWakeUps, "socket-waker");
        wakerThread.setDaemon(true);
        wakerThread.start();
    }

    private ZMQ.Socket bind(SocketType type, String address) {
        ZMQ.Socket socket = context.createSocket(type);
        socket.setLinger(1000);
        if (type == SocketType.ROUTER) {
            // Every client of one kernel manager connects with the session id as its identity: the
            // server's own, and the fresh ones it makes for a single request (jupyter-resource-usage
            // asks for usage that way). Without handover a ROUTER ignores the newcomer and it waits
            // forever; ipykernel sets the same option.
            socket.setRouterHandover(true);
        }
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

    @Override
    public void trust(Thread sender) {
        trusted = sender;
    }

    @Override
    public void hold() {
        if (Thread.currentThread() == trusted) {
            holding = true;
        }
    }

    @Override
    public void release() {
        if (Thread.currentThread() == trusted && holding) {
            holding = false;
            if (!outgoing.isEmpty()) { // held, and not sent since by another thread's wake
                wakeUp();
            }
        }
    }

    private void wakeUp() {
        if (holding && Thread.currentThread() == trusted) {
            return; // release() wakes the loop for what is queued by then
        }
        // one signal is enough however many messages are queued: the loop drains them all
        if (wakePending.compareAndSet(false, true)) {
            if (Thread.currentThread() == trusted) {
                signal();
            } else {
                wakeRequests.release();
            }
        }
    }

    private void signal() {
        synchronized (wakeSender) {
            wakeSender.send(WAKE, 0);
        }
    }

    /**
     * Only this thread touches the wake socket. Senders include cell threads, which an interrupt
     * kills with Thread.stop and which may carry an interrupt flag: either would break a ZMQ socket
     * (NIO channels close on interrupt) if they used one themselves.
     */
    private void forwardWakeUps() {
        try {
            while (running) {
                wakeRequests.acquire();
                wakeRequests.drainPermits();
                signal();
            }
        } catch (InterruptedException | ZMQException | IllegalStateException e) {
            // shutting down
        }
    }

    /** Handles incoming messages on this thread until {@link #stop()}; sends what handlers queue. */
    public void run(BiConsumer<Channel, Message> handler) throws IOException {
        ZMQ.Poller poller = context.createPoller(4);
        List<Channel> polled = List.of(Channel.CONTROL, Channel.SHELL, Channel.STDIN);
        for (Channel c : polled) {
            poller.register(sockets.get(c), ZMQ.Poller.POLLIN);
        }
        int wakeIndex = poller.register(wakeReceiver, ZMQ.Poller.POLLIN);
        while (running) {
            poller.poll(-1);
            if (poller.pollin(wakeIndex)) {
                while (wakeReceiver.recv(ZMQ.DONTWAIT) != null) {
                    // emptied; the queue says what to send
                }
                wakePending.set(false);
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
        List<byte[]> frames = Frames.receive(sockets.get(channel), ZMQ.DONTWAIT);
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
            Frames.send(sockets.get(o.channel()), codec.encode(o.message()));
        }
    }

    /** Ends {@link #run} after it has sent what is queued. */
    public void stop() {
        if (Thread.currentThread() == trusted) {
            holding = false; // the stop signal must not be held back
        }
        running = false;
        wakePending.set(false);
        wakeUp();
    }

    @Override
    public void close() {
        running = false;
        wakeRequests.release(); // the waker thread sees running and ends
        try {
            heartbeatThread.join(2000);
            wakerThread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        context.close();
    }
}
