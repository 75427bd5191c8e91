package dev.researchmon.kernel.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.researchmon.magics.api.MagicUsageException;
import java.util.List;
import org.junit.jupiter.api.Test;

class CellPartsTest {

    @Test
    void lineMagics_andCode_keepTheirOrder() throws Exception {
        List<CellParts.Part> parts = CellParts.parse("int a = 1;\n%classpath lib/x.jar 'my dir/y.jar'\na + 1");
        assertEquals(3, parts.size());
        assertEquals("int a = 1;\n", ((CellParts.Code) parts.get(0)).source());
        CellParts.Magic m = (CellParts.Magic) parts.get(1);
        assertEquals("classpath", m.call().name());
        assertEquals(List.of("lib/x.jar", "my dir/y.jar"), m.call().args());
        assertNull(m.call().body());
        assertFalse(m.cell());
        assertEquals("a + 1", ((CellParts.Code) parts.get(2)).source());
        assertEquals(0, ((CellParts.Code) parts.get(0)).firstLine());
        assertEquals(
                2, ((CellParts.Code) parts.get(2)).firstLine(), "code after a magic knows its cell line, for traces");
    }

    @Test
    void cellMagic_takesTheRestOfTheCellAsBody() throws Exception {
        List<CellParts.Part> parts = CellParts.parse("%%timed train --label x\nint b = 2;\nb * 3");
        assertEquals(1, parts.size());
        CellParts.Magic m = assertInstanceOf(CellParts.Magic.class, parts.get(0));
        assertTrue(m.cell());
        assertEquals("timed", m.call().name());
        assertEquals("train --label x", m.call().argLine());
        assertEquals("int b = 2;\nb * 3", m.call().body());
    }

    @Test
    void moduloInsideALine_isNotAMagic() {
        assertFalse(CellParts.hasMagic("int r = 7 % 3;"));
        assertTrue(CellParts.hasMagic("  %lsmagic"));
    }

    @Test
    void magicWithoutName_isAUsageError() {
        MagicUsageException e = assertThrows(MagicUsageException.class, () -> CellParts.parse("% \n1"));
        assertTrue(e.getMessage().contains("%lsmagic"));
    }

    @Test
    void unclosedQuote_isAUsageError() {
        MagicUsageException e = assertThrows(MagicUsageException.class, () -> CellParts.parse("%jars 'lib/a.jar"));
        assertTrue(e.getMessage().contains("unclosed"));
    }

    @Test
    void argSplitter_groupsQuotes_andHonoursEscapes() throws Exception {
        assertEquals(
                List.of("plot", "rate(x[5m])", "--since", "1h"), ArgSplitter.split("plot 'rate(x[5m])' --since 1h"));
        assertEquals(List.of("a b", "c\"d", ""), ArgSplitter.split("a\\ b \"c\\\"d\" ''"));
        assertEquals(List.of(), ArgSplitter.split("   "));
    }
}
