package dev.researchmon.magics.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UnitTest {

    @Test
    void bytes_areWrittenInBinaryPrefixes() {
        assertEquals("512 B", Unit.of("bytes").format(512));
        assertEquals("1.5 KiB", Unit.of("bytes").format(1536));
        assertEquals("40 GiB", Unit.of("bytes").format(40L << 30));
        assertEquals("2.5 MiB/s", Unit.of("Bps").format(2.5 * 1024 * 1024));
    }

    @Test
    void percentunit_isAShareOfOneWrittenAsPercent() {
        assertEquals("42.3%", Unit.of("percentunit").format(0.423));
        assertEquals("100%", Unit.of("percentunit").format(1));
        assertEquals("0%", Unit.of("percentunit").format(0));
        assertEquals("57%", Unit.of("percent").format(57));
    }

    @Test
    void seconds_takeTheScaleAPersonReads() {
        assertEquals("250 ms", Unit.of("s").format(0.25));
        assertEquals("45 s", Unit.of("s").format(45));
        assertEquals("90 min", Unit.of("s").format(5400));
        assertEquals("3 h", Unit.of("s").format(3 * 3600));
        assertEquals("3 d", Unit.of("s").format(3 * 86400));
        assertEquals("1.5 s", Unit.of("ms").format(1500));
    }

    @Test
    void temperatureAndPower_carryTheirSymbols() {
        assertEquals("61 °C", Unit.of("celsius").format(61));
        assertEquals("250 W", Unit.of("watt").format(250));
        assertEquals("1.2 kW", Unit.of("watts").format(1200));
        assertEquals("12 Wh", Unit.of("watth").format(12));
    }

    @Test
    void ratesAndPlainNumbers_useSiPrefixes() {
        assertEquals("12 ops/s", Unit.of("ops").format(12));
        assertEquals("3.4k ops/s", Unit.of("ops").format(3400));
        assertEquals("1.23k", Unit.of("short").format(1234));
        assertEquals("0.123", Unit.of("none").format(0.1234));
        assertEquals("7", Unit.of("").format(7));
    }

    @Test
    void unknownUnit_keepsItsNameAfterTheNumber() {
        assertEquals("3 widgets", Unit.of("widgets").format(3));
    }

    @Test
    void anAxis_usesOneScaleForAllItsTicks() {
        Unit.Scale s = Unit.of("bytes").scaleFor(3L << 30);
        assertEquals(" GiB", s.suffix());
        assertEquals("0.5 GiB", s.format(512L << 20));
        assertEquals("%", Unit.of("percentunit").scaleFor(0.5).suffix());
    }

    @Test
    void nonFiniteValues_areNamed() {
        assertEquals("NaN", Unit.of("bytes").format(Double.NaN));
        assertEquals("+Inf", Unit.of("s").format(Double.POSITIVE_INFINITY));
    }

    @Test
    void temperatureAxes_doNotStartAtZero() {
        assertFalse(Unit.of("celsius").zeroBased());
        assertTrue(Unit.of("bytes").zeroBased());
    }
}
