package dev.researchmon.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
