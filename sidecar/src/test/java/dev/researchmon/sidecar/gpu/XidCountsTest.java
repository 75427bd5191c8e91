package dev.researchmon.sidecar.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class XidCountsTest {
    private static XidEvent on(int gpu, long xid) {
        return new XidEvent(gpu, "GPU-" + gpu, "GPU " + gpu, xid);
    }

    @Test
    void codesAboveTheLimit_countAsOther() {
        XidCounts counts = XidCounts.EMPTY.plus(on(0, 1001)).plus(on(0, 1000)).plus(on(0, -1));
        assertEquals("1000", counts.counts().get(0).xid());
        assertEquals("other", counts.counts().get(1).xid());
        assertEquals(2, counts.counts().get(1).value());
        assertEquals(-1, counts.last().get(0).xid());
    }

    @Test
    void distinctCodesBeyondTheCap_countAsOther_perGpu() {
        XidCounts counts = XidCounts.EMPTY;
        for (int code = 1; code <= XidCounts.MAX_CODES_PER_GPU + 5; code++) {
            counts = counts.plus(on(0, code));
        }
        counts = counts.plus(on(0, 1)).plus(on(1, 999));
        assertEquals(XidCounts.MAX_CODES_PER_GPU + 2, counts.counts().size());
        assertEquals(
                5,
                counts.counts().stream()
                        .filter(c -> c.xid().equals("other"))
                        .mapToLong(XidCounts.Count::value)
                        .sum());
        assertEquals(
                2,
                counts.counts().stream()
                        .filter(c -> c.device().gpu() == 0 && c.xid().equals("1"))
                        .findFirst()
                        .orElseThrow()
                        .value());
        assertEquals(2, counts.last().size());
    }
}
