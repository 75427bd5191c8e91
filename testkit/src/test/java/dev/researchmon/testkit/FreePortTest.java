package dev.researchmon.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
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

    @Test
    void aPortAnotherJvmNotedLately_isNotHandedOut_butAnOldNoteIsTakenOver() throws IOException {
        // ports above the kernel's ephemeral range, so that no ask of this run comes near them
        Path lately = FreePort.RESERVED.resolve("65531");
        Path old = FreePort.RESERVED.resolve("65532");
        try {
            Files.createDirectories(FreePort.RESERVED);
            Files.deleteIfExists(lately);
            Files.createFile(lately); // as another JVM noted it a moment ago
            Files.deleteIfExists(old);
            Files.createFile(old);
            Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(FreePort.RESERVATION.multipliedBy(2))));

            assertFalse(FreePort.reserve(65531), "another JVM's port");
            assertTrue(FreePort.reserve(65532), "a note older than the reservation is free again");
            assertTrue(
                    Files.getLastModifiedTime(old)
                            .toInstant()
                            .isAfter(Instant.now().minusSeconds(60)),
                    "and noted anew");
            assertFalse(FreePort.reserve(65532), "this JVM's own, once handed out");
        } finally {
            Files.deleteIfExists(lately);
            Files.deleteIfExists(old);
        }
    }
}
