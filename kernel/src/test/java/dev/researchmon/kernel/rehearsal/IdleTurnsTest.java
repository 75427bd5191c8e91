package dev.researchmon.kernel.rehearsal;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdleTurnsTest {
    @Test
    void anIdleKernel_givesATurnAtOnce() throws Exception {
        IdleTurns turns = IdleTurns.within(Duration.ofSeconds(60), () -> true);
        assertTrue(turns.await());
        assertFalse(turns.expired());
    }

    @Test
    void aBusyKernel_isWaitedFor_untilItIsIdle() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        IdleTurns turns = IdleTurns.within(Duration.ofSeconds(60), () -> asked.incrementAndGet() > 3);
        assertTrue(turns.await());
        assertEquals(4, asked.get());
    }

    @Test
    void aKernelBusyPastTheDeadline_givesNoTurn() throws Exception {
        IdleTurns turns = IdleTurns.within(Duration.ofMillis(100), () -> false);
        assertFalse(turns.await());
        assertTrue(turns.expired());
    }

    @Test
    void pastTheDeadline_noTurnEvenWhenIdle() throws Exception {
        IdleTurns turns = IdleTurns.within(Duration.ZERO, () -> true);
        assertFalse(turns.await());
    }
}
