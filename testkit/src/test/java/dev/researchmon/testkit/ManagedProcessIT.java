package dev.researchmon.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real child processes (sh, sleep, echo): what every module's ITs rely on when they start and stop theirs. */
class ManagedProcessIT {
    @TempDir
    Path logs;

    @Test
    void awaitLine_returnsTheWholeLineMatch_andCloseStopsTheProcessAndItsChildren() throws Exception {
        // sleep is a child of the shell: stopping the shell alone would leave it running.
        ManagedProcess shell = ManagedProcess.start(
                "shell",
                List.of("/bin/sh", "-c", "sleep 300 & echo \"child $!\"; echo \"value $GREETING\"; wait"),
                Map.of("GREETING", "hello"),
                logs);
        long child;
        try {
            child = Long.parseLong(shell.awaitLine(Pattern.compile("child (\\d+)"), Duration.ofSeconds(10))
                    .group(1));
            assertEquals(
                    "hello",
                    shell.awaitLine(Pattern.compile("value (\\w+)"), Duration.ofSeconds(10))
                            .group(1));
            assertTrue(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false));
        } finally {
            shell.close();
        }
        assertFalse(shell.isAlive());
        assertFalse(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false), "the child went too");
    }

    @Test
    void awaitLine_failsWithTheLogWhenTheProcessExitsWithoutTheLine() throws Exception {
        try (ManagedProcess echo =
                ManagedProcess.start("echo", List.of("/bin/echo", "something else"), Map.of(), logs)) {
            AssertionError e = assertThrows(
                    AssertionError.class, () -> echo.awaitLine(Pattern.compile("ready"), Duration.ofSeconds(30)));
            assertTrue(e.getMessage().contains("something else"), e.getMessage());
        }
    }

    @Test
    void freePort_isALoopbackPortNobodyHolds() throws Exception {
        int port = FreePort.loopback();
        assertTrue(port > 0 && port < 65536);
        try (var socket = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertEquals(port, socket.getLocalPort());
        }
    }
}
