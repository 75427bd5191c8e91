package dev.researchmon.kernel.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.researchmon.kernel.rehearsal.IdleTurns;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

// a rehearsal that cannot close its sockets must fail here, not hang the build (it once did)
@Timeout(60)
class ProtocolRehearsalTest {
    @Test
    void rehearsal_getsEveryCellsReplyThroughTheRealSocketsAndCodec() throws Exception {
        assertEquals(200, ProtocolRehearsal.rehearse(200, IdleTurns.within(Duration.ofSeconds(60), () -> true)));
    }

    @Test
    void rehearsalPastItsDeadline_stopsAtOnce() throws Exception {
        assertEquals(0, ProtocolRehearsal.rehearse(1000, IdleTurns.within(Duration.ZERO, () -> true)));
    }

    @Test
    void rehearsal_waitsWhileTheKernelIsBusy_andRunsOnlyTheCellsItIsLetThrough() throws Exception {
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        // busy for the first few asks, then free for ten cells, then busy until the deadline
        int done = ProtocolRehearsal.rehearse(100, IdleTurns.within(Duration.ofSeconds(3), () -> {
            int n = asked.incrementAndGet();
            return n > 5 && n <= 16;
        }));
        assertEquals(10, done);
    }

    @Test
    void rehearsal_leavesNoThreadOfItsOwnBehind() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        ProtocolRehearsal.rehearse(20, IdleTurns.within(Duration.ofSeconds(60), () -> true));
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
