package dev.researchmon.kernel.wire;

import java.util.ArrayList;
import java.util.List;
import org.zeromq.ZMQ;

/**
 * A Jupyter message's frames on a ZMQ socket: all but the last sent with SNDMORE, and received
 * until the socket says no more follow. One place for the kernel's sockets and for the clients the
 * kernel drives itself (the class archive's training run, the protocol rehearsal).
 */
public final class Frames {
    private Frames() {}

    public static void send(ZMQ.Socket socket, List<byte[]> frames) {
        for (int i = 0; i < frames.size(); i++) {
            socket.send(frames.get(i), i < frames.size() - 1 ? ZMQ.SNDMORE : 0);
        }
    }

    /** One whole message, waiting as the socket's receive timeout says; empty when none came. */
    public static List<byte[]> receive(ZMQ.Socket socket, int flags) {
        List<byte[]> frames = new ArrayList<>();
        byte[] first = socket.recv(flags);
        if (first == null) {
            return frames;
        }
        frames.add(first);
        while (socket.hasReceiveMore()) {
            frames.add(socket.recv());
        }
        return frames;
    }
}
