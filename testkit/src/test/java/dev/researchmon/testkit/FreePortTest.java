package dev.researchmon.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortTest {
    @Test
    void manyAsksInARow_neverGetTheSamePort() {
        // The kernel reuses a just-closed ephemeral port often enough that 2000 asks without
        // memory would repeat some; each test asks a handful before binding any.
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            ports.add(FreePort.loopback());
        }
        assertEquals(2000, ports.size());
    }

    @Test
    void aListeningSocket_holdsAPortNoAskGotOrGets() throws IOException {
        Set<Integer> asked = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            asked.add(FreePort.loopback());
        }
        for (int i = 0; i < 200; i++) {
            try (ServerSocket taken = FreePort.listening()) {
                assertFalse(asked.contains(taken.getLocalPort()), "handed out before: " + taken.getLocalPort());
                assertThrows(
                        IOException.class,
                        () -> new ServerSocket(taken.getLocalPort(), 1, InetAddress.getLoopbackAddress()).close());
                int later = FreePort.loopback();
                assertFalse(later == taken.getLocalPort(), "handed out again: " + later);
            }
        }
    }
}
