package dev.researchmon.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback port nobody listens on at the moment of asking, for a server a test starts (or for a
 * URL that must stay dead). No port is handed out twice in one JVM, nor to two test JVMs of the
 * machine within {@link #RESERVATION} (the build runs modules side by side).
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

    /**
     * Where test JVMs of this machine note the ports they handed out, a file per port: modules' tests
     * run side by side (.mvn/maven.config), and two JVMs asking at once may be given one port, as one
     * JVM's asks in a row were. A note older than {@link #RESERVATION} is free again: by then its
     * server has bound the port (and the kernel hands out no bound port) or is long gone.
     */
    static final Path RESERVED = Path.of(System.getProperty("java.io.tmpdir"), "research-monitor-test-ports");

    static final Duration RESERVATION = Duration.ofMinutes(10);

    private static final int TRIES = 1000;

    private FreePort() {}

    /** A port on 127.0.0.1 the kernel just handed out and no test JVM of this machine has lately ({@link #reserve}); servers in tests bind loopback only. */
    public static int loopback() {
        try (ServerSocket socket = listening()) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A loopback socket listening on a port no test JVM of this machine handed out lately, for a test that needs a port
     * in use: binding port 0 itself, a test may be given a port it already handed to another server
     * (CI once saw "alertmanager and jupyter are both given port 34161"). The caller closes it.
     */
    public static ServerSocket listening() {
        for (int i = 0; i < TRIES; i++) {
            ServerSocket socket;
            try {
                socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                // only fails when the machine is out of ports: nothing a test could recover from
                throw new UncheckedIOException(e);
            }
            if (reserve(socket.getLocalPort())) {
                return socket;
            }
            try {
                socket.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no loopback port that no test JVM of this machine has handed out within "
                + RESERVATION.toMinutes() + " minutes, after " + TRIES + " tries (notes in " + RESERVED + ")");
    }

    /** Whether {@code port} was handed out by no JVM of this machine lately; if so, it is now this one's. */
    static boolean reserve(int port) {
        if (!HANDED_OUT.add(port)) {
            return false;
        }
        Path note = RESERVED.resolve(Integer.toString(port));
        try {
            Files.createDirectories(RESERVED);
            try {
                Files.createFile(note);
                return true;
            } catch (FileAlreadyExistsException e) {
                if (Files.getLastModifiedTime(note)
                        .toInstant()
                        .isAfter(Instant.now().minus(RESERVATION))) {
                    return false; // another JVM's, lately
                }
                Files.setLastModifiedTime(note, FileTime.from(Instant.now()));
                return true;
            }
        } catch (IOException e) {
            return true; // no shared folder to note it in: this JVM's memory still guards it
        }
    }
}
