package dev.researchmon.magics.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void text_alignsColumns() {
        Table t = new Table(List.of("name", "value")).row("a", "1").row("longer", "22");
        assertEquals("""
                name    value
                ------  -----
                a       1
                longer  22""", t.text());
    }

    @Test
    void html_escapesCellText() {
        String html = new Table(List.of("x")).row("<script>&\"").html();
        assertTrue(html.contains("<td style=\"text-align:left\">&lt;script&gt;&amp;&quot;</td>"), html);
    }

    @Test
    void rowOfTheWrongWidth_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Table(List.of("a", "b")).row("only one"));
    }

    @Test
    void numbers_areShortAndNeverScientificForEverydayValues() {
        assertEquals("3", Numbers.format(3.0));
        assertEquals("1073741824", Numbers.format(1073741824.0));
        assertEquals("0.123457", Numbers.format(0.1234567));
        assertEquals("NaN", Numbers.format(Double.NaN));
        assertEquals("+Inf", Numbers.format(Double.POSITIVE_INFINITY));
        assertEquals("1.500e-06", Numbers.format(0.0000015));
        assertEquals("1795999159.125", Numbers.format(1795999159.125));
    }

    @Test
    void axisNumbers_useSiPrefixes() {
        assertEquals("120M", Numbers.si(120_000_000));
        assertEquals("2.5k", Numbers.si(2500));
        assertEquals("0.25", Numbers.si(0.25));
        assertEquals("-3G", Numbers.si(-3e9));
    }
}
