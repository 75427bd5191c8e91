package dev.researchmon.kernel.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ProtocolRehearsalTest {
    @Test
    void rehearsal_getsEveryCellsReplyThroughTheRealSocketsAndCodec() throws Exception {
        assertEquals(200, ProtocolRehearsal.rehearse(200, Duration.ofSeconds(60)));
    }

    @Test
    void rehearsalPastItsDeadline_stopsAtOnce() throws Exception {
        assertEquals(0, ProtocolRehearsal.rehearse(1000, Duration.ZERO));
    }

    @Test
    void rehearsal_leavesNoThreadOfItsOwnBehind() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        ProtocolRehearsal.rehearse(20, Duration.ofSeconds(60));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Set<String> left;
        do {
            Thread.sleep(50);
            left = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.isAlive() && !before.contains(t))
                    .map(Thread::getName)
                    .collect(Collectors.toSet());
        } while (!left.isEmpty() && System.nanoTime() < deadline);
        assertTrue(left.isEmpty(), "threads left: " + left);
    }
}
