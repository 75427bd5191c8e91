package dev.researchmon.manager;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Tells whether a TCP port can still be bound on loopback, so that a port taken by something else
 * is reported before anything is started, instead of as a part that never gets healthy.
 *
 * <pre>{@code
 * if (!PortGuard.isFree(9090)) { ... }
 * }</pre>
 */
public final class PortGuard {
    private PortGuard() {
    }

    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The error for a taken port, naming the option that moves it. */
    public static ManagerException taken(int port, String part, String option) {
        return new ManagerException("port " + port + " (" + part + ") is already in use by another program; "
                + "stop it or choose another port with " + option);
    }
}
