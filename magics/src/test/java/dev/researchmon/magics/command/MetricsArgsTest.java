package dev.researchmon.magics.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.researchmon.magics.api.MagicUsageException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MetricsArgsTest {

    @Test
    void noArguments_meansThisKernelsMetrics() throws Exception {
        assertEquals(MetricsArgs.Mode.LOCAL, MetricsArgs.parse("  ").mode());
    }

    @Test
    void query_keepsPromqlWithSpacesQuotesAndBracesUntouched() throws Exception {
        MetricsArgs a =
                MetricsArgs.parse("query sum by (status) (notebook_cells_executed_total{notebook=\"a b.ipynb\"})");
        assertEquals(MetricsArgs.Mode.QUERY, a.mode());
        assertEquals("sum by (status) (notebook_cells_executed_total{notebook=\"a b.ipynb\"})", a.promql());
    }

    @Test
    void plot_takesRangeAndStepOptionsFromAnywhereInTheLine() throws Exception {
        MetricsArgs a = MetricsArgs.parse("plot --step 5s rate(x_total[1m]) --range=2h");
        assertEquals("rate(x_total[1m])", a.promql());
        assertEquals(Duration.ofHours(2), a.range());
        assertEquals(Duration.ofSeconds(5), a.step());
    }

    @Test
    void plot_withoutOptions_looksBack30MinutesIn240Points() throws Exception {
        MetricsArgs a = MetricsArgs.parse("plot up");
        assertEquals(Duration.ofMinutes(30), a.range());
        assertEquals(Duration.ofMillis(7500), a.step());
    }

    @Test
    void plot_compoundDurations_addUp() throws Exception {
        assertEquals(
                Duration.ofMinutes(90),
                MetricsArgs.parse("plot up --range 1h30m").range());
    }

    @Test
    void plot_badRange_isAUsageErrorNamingTheValue() {
        var e = assertThrows(MagicUsageException.class, () -> MetricsArgs.parse("plot up --range soon"));
        assertTrue(e.getMessage().startsWith("usage: " + MetricsMagic.SIGNATURE.usage()), e.getMessage());
        assertTrue(e.getMessage().contains("--range soon"), e.getMessage());
    }

    @Test
    void plot_zeroStep_isAUsageError() {
        assertThrows(MagicUsageException.class, () -> MetricsArgs.parse("plot up --step 0s"));
    }

    @Test
    void plot_tooManyPoints_isAUsageError() {
        var e = assertThrows(MagicUsageException.class, () -> MetricsArgs.parse("plot up --range 30d --step 1s"));
        assertTrue(e.getMessage().contains("11000 points"), e.getMessage());
    }

    @Test
    void plot_unknownOption_isAUsageError() {
        var e = assertThrows(MagicUsageException.class, () -> MetricsArgs.parse("plot up --width 3"));
        assertTrue(e.getMessage().contains("--width"), e.getMessage());
    }

    @Test
    void plot_optionWithoutValue_isAUsageError() {
        assertThrows(MagicUsageException.class, () -> MetricsArgs.parse("plot up --range"));
    }

    @Test
    void queryOrPlotWithoutPromql_isAUsageError() {
        assertThrows(MagicUsageException.class, () -> MetricsArgs.parse("query"));
        assertThrows(MagicUsageException.class, () -> MetricsArgs.parse("plot --range 5m"));
    }

    @Test
    void unknownSubcommand_isAUsageErrorNamingIt() {
        var e = assertThrows(MagicUsageException.class, () -> MetricsArgs.parse("graph up"));
        assertTrue(e.getMessage().contains("\"graph\""), e.getMessage());
    }
}
