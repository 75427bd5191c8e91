package dev.researchmon.kernel.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ParentWatchdogTest {
    @Test
    void starterGone_runsTheExitOnce() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        CountDownLatch exited = new CountDownLatch(1);
        new ParentWatchdog(() -> polls.incrementAndGet() >= 3, Duration.ofMillis(10), exited::countDown).start();

        assertTrue(exited.await(10, TimeUnit.SECONDS));
        assertEquals(3, polls.get());
    }

    @Test
    void noWatch_withoutJpyParentPid_orForInit_orABadValue() {
        Runnable never = () -> {
            throw new AssertionError();
        };
        assertTrue(ParentWatchdog.fromEnvironment(Map.of(), Duration.ofSeconds(1), never)
                .isEmpty());
        assertTrue(ParentWatchdog.fromEnvironment(Map.of("JPY_PARENT_PID", "1"), Duration.ofSeconds(1), never)
                .isEmpty());
        assertTrue(ParentWatchdog.fromEnvironment(Map.of("JPY_PARENT_PID", "x"), Duration.ofSeconds(1), never)
                .isEmpty());
    }

    @Test
    void aLiveStarter_isWatched() {
        long parent = ProcessHandle.current().parent().orElseThrow().pid();
        assertTrue(ParentWatchdog.fromEnvironment(
                        Map.of("JPY_PARENT_PID", Long.toString(parent)), Duration.ofSeconds(1), () -> {})
                .isPresent());
    }
}
