package dev.researchmon.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * A loopback port nobody listens on at the moment of asking, for a server a test starts (or for a
 * URL that must stay dead).
 *
 * <pre>{@code
 * int port = FreePort.loopback();
 * ManagedProcess.start("sidecar", List.of(..., "--port", Integer.toString(port)), Map.of(), logDir);
 * }</pre>
 */
public final class FreePort {
    private FreePort() {
    }

    /** A port on 127.0.0.1 the kernel just handed out; servers in tests bind loopback only. */
    public static int loopback() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            // Only fails when the machine is out of ports: nothing a test could recover from.
            throw new UncheckedIOException(e);
        }
    }
}
