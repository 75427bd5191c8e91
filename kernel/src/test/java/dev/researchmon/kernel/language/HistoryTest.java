package dev.researchmon.kernel.language;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryTest {
    private static History filled() {
        History h = new History();
        h.add(1, "int x = 1;", null);
        h.add(2, "x + 1", "2");
        h.add(3, "x + 1", "2");
        h.add(4, "String s = \"a\";", null);
        return h;
    }

    private static List<Integer> lines(List<History.Entry> entries) {
        return entries.stream().map(History.Entry::line).toList();
    }

    @Test
    void tail_givesTheLastN() {
        assertEquals(List.of(3, 4), lines(filled().tail(2)));
        assertEquals(List.of(1, 2, 3, 4), lines(filled().tail(10)));
    }

    @Test
    void range_isHalfOpen_andStopZeroMeansToTheEnd() {
        assertEquals(List.of(2), lines(filled().range(1, 2, 3)));
        assertEquals(List.of(3, 4), lines(filled().range(0, 3, 0)));
        assertEquals(List.of(), lines(filled().range(7, 1, 3)));
    }

    @Test
    void search_matchesGlobs_uniqueKeepsTheLast_nLimits() {
        assertEquals(List.of(2, 3), lines(filled().search("x + *", 0, false)));
        assertEquals(List.of(3), lines(filled().search("x + *", 0, true)));
        assertEquals(List.of(4), lines(filled().search("String ?*", 1, false)));
        assertEquals(List.of(), lines(filled().search("nothing*", 0, false)));
    }
}
