package dev.researchmon.magics.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.researchmon.magics.prometheus.Series;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LegendsTest {

    private static Series s(String... labels) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            m.put(labels[i], labels[i + 1]);
        }
        return Series.of(m, List.of(new Series.Sample(1, 1)));
    }

    private static Legends.Entry e(Series s, String format) {
        return new Legends.Entry(s, format);
    }

    @Test
    void withoutFormat_onlyTheLabelsThatDiffer_andTheSharedOnesOnce() {
        Legends l = Legends.of(List.of(
                e(s("__name__", "cells_total", "notebook", "a.ipynb", "status", "ok"), null),
                e(s("__name__", "cells_total", "notebook", "a.ipynb", "status", "error"), null)));
        assertEquals(List.of("status=\"ok\"", "status=\"error\""), l.names());
        assertEquals("cells_total{notebook=\"a.ipynb\"}", l.common());
    }

    @Test
    void differentMetrics_areNamedByMetric() {
        Legends l = Legends.of(List.of(
                e(s("__name__", "heap_bytes", "job", "r"), null), e(s("__name__", "rss_bytes", "job", "r"), null)));
        assertEquals(List.of("heap_bytes", "rss_bytes"), l.names());
        assertEquals("{job=\"r\"}", l.common());
    }

    @Test
    void format_dropsPlaceholdersOfLabelsEverySeriesShares() {
        // one GPU: "GPU {{gpu}} used" says nothing the title does not; the words that differ stay
        Legends l = Legends.of(List.of(
                e(s("__name__", "gpu_memory_used_bytes", "gpu", "0"), "GPU {{gpu}} used"),
                e(s("__name__", "gpu_memory_total_bytes", "gpu", "0"), "GPU {{gpu}} total")));
        assertEquals(List.of("GPU used", "GPU total"), l.names());
    }

    @Test
    void format_keepsPlaceholdersOfLabelsThatDiffer() {
        Legends l = Legends.of(List.of(
                e(s("gpu", "0", "name", "A100"), "GPU {{gpu}} {{name}}"),
                e(s("gpu", "1", "name", "A100"), "GPU {{ gpu }} {{name}}")));
        assertEquals(List.of("GPU 0", "GPU 1"), l.names());
    }

    @Test
    void format_thatReadsTheSameForTwoSeries_getsTheLabelsThatTellThemApart() {
        // two kernels of one notebook: the format names only the notebook
        Legends l = Legends.of(List.of(
                e(s("kernel_id", "k1", "notebook", "a.ipynb"), "{{notebook}} resident"),
                e(s("kernel_id", "k2", "notebook", "a.ipynb"), "{{notebook}} resident")));
        assertEquals(List.of("resident {kernel_id=\"k1\"}", "resident {kernel_id=\"k2\"}"), l.names());
    }

    @Test
    void oneSeries_hasNoDistinguishingLabels_andAllOfItsLabelsAreCommon() {
        Legends l = Legends.of(List.of(e(s("__name__", "up", "instance", "x:1", "job", "j"), null)));
        assertEquals(List.of(""), l.names());
        assertEquals("up{instance=\"x:1\", job=\"j\"}", l.common());
    }

    @Test
    void aLabelMissingOnSomeSeries_countsAsDiffering() {
        Legends l = Legends.of(List.of(e(s("a", "1"), null), e(s("a", "1", "b", "2"), null)));
        assertEquals(List.of("", "b=\"2\""), l.names());
    }
}
