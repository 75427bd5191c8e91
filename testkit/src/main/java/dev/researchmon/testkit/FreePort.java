package dev.researchmon.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback port nobody listens on at the moment of asking, for a server a test starts (or for a
 * URL that must stay dead). No port is handed out twice in one JVM.
 *
 * <pre>{@code
 * int port = FreePort.loopback();
 * ManagedProcess.start("sidecar", List.of(..., "--port", Integer.toString(port)), Map.of(), logDir);
 * }</pre>
 */
public final class FreePort {
    /**
     * Every port this JVM has handed out. A test usually asks for several ports before anything binds
     * them, and Linux may give the same just-closed ephemeral port to two asks in a row: CI once saw
     * alertmanager and node-exporter given one port. Remembering them makes each ask distinct.
     */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private static final int TRIES = 1000;

    private FreePort() {}

    /** A port on 127.0.0.1 the kernel just handed out and this JVM has not; servers in tests bind loopback only. */
    public static int loopback() {
        for (int i = 0; i < TRIES; i++) {
            int port = askTheKernel();
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException(
                "no loopback port this JVM has not already handed out, after " + TRIES + " tries");
    }

    /**
     * A loopback socket listening on a port this JVM has not handed out, for a test that needs a port
     * in use: binding port 0 itself, a test may be given a port it already handed to another server
     * (CI once saw "alertmanager and jupyter are both given port 34161"). The caller closes it.
     */
    public static ServerSocket listening() {
        for (int i = 0; i < TRIES; i++) {
            ServerSocket socket;
            try {
                socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (HANDED_OUT.add(socket.getLocalPort())) {
                return socket;
            }
            try {
                socket.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException(
                "no loopback port this JVM has not already handed out, after " + TRIES + " tries");
    }

    private static int askTheKernel() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            // Only fails when the machine is out of ports: nothing a test could recover from.
            throw new UncheckedIOException(e);
        }
    }
}
