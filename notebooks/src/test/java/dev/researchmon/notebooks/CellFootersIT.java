package dev.researchmon.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.researchmon.testkit.Promtool;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code %monitoring cells on} through nbconvert and the real kernel: the saved notebook has a
 * cost footer under every later cell, as display data, and a cell that allocates 100 MB says so.
 */
class CellFootersIT {
    private static final Pattern ALLOCATED = Pattern.compile("allocated ([0-9.]+) (kB|MB|GB)");

    /** Every output's {@code mime} text of the notebook's {@code index}-th cell (0: the markdown one). */
    private static String output(Nbconvert.ExecutedNotebook nb, int index, String mime) {
        StringBuilder sb = new StringBuilder();
        for (var o : nb.json().path("cells").get(index).path("outputs")) {
            var data = o.path("data").path(mime);
            if (data.isArray()) {
                data.forEach(l -> sb.append(l.asText()));
            } else if (!data.isMissingNode()) {
                sb.append(data.asText());
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    @TempDir
    Path dir;

    @Test
    void cellsOn_everyLaterCellHasAFooter_andA100MbCellShowsItsAllocation() throws Exception {
        try (TestStack stack = TestStack.kernelAndSidecar(dir)) {
            Path out = Repo.root().resolve("notebooks/target/executed-notebooks");
            var nb = Nbconvert.execute(
                    Repo.root().resolve("notebooks/src/test/resources/cell-costs.ipynb"),
                    out,
                    stack.kernelEnvironment());

            assertEquals(
                    "Cell footers on: ",
                    output(nb, 1, "text/plain").substring(0, 17),
                    "the cell that turns footers on has none of its own");
            for (int cell = 2; cell <= 5; cell++) {
                String plain = output(nb, cell, "text/plain");
                assertTrue(
                        plain.matches(
                                "(?s).*cell \\d+: wall .+ \\| cpu .+ \\| allocated .+ \\| gc .+ \\| peak heap .+"),
                        "cell " + cell + ": " + plain);
                assertTrue(output(nb, cell, "text/html").contains("research-cell-cost"), "cell " + cell);
            }
            String big = output(nb, 3, "text/plain");
            Matcher m = ALLOCATED.matcher(big);
            assertTrue(m.find(), big);
            double mb = Double.parseDouble(m.group(1))
                    * switch (m.group(2)) {
                        case "kB" -> 1e-3;
                        case "GB" -> 1e3;
                        default -> 1;
                    };
            assertTrue(mb >= 100, "a 100 MB array shows at least 100 MB allocated: " + big);
            String table = output(nb, 5, "text/plain");
            assertTrue(table.contains("cell") && table.contains("peak heap") && table.contains("ok"), table);
        }
    }

    /**
     * With {@code %monitoring on}, the three cost histograms reach the sidecar labelled by notebook
     * (the 50 MB cell counted in the allocation), and promtool accepts the sidecar's whole scrape,
     * read by the notebook's last cell while its kernel still reports.
     */
    @Test
    void monitoringOn_cellCostHistogramsReachTheSidecarByNotebook_andPromtoolAcceptsTheScrape() throws Exception {
        try (TestStack stack = TestStack.kernelAndSidecar(dir)) {
            var nb = Nbconvert.execute(
                    Repo.root().resolve("notebooks/src/test/resources/cell-cost-metrics.ipynb"),
                    Repo.root().resolve("notebooks/target/executed-notebooks"),
                    stack.kernelEnvironment());
            // the last cell printed the sidecar's scrape
            String metrics = nb.outputOf("var http", "stream");
            for (String family :
                    List.of("notebook_cell_cpu_seconds", "notebook_cell_allocated_bytes", "notebook_cell_gc_seconds")) {
                assertTrue(
                        metrics.lines()
                                .anyMatch(l -> l.startsWith(family + "_count{")
                                        && l.contains("notebook=\"cell-cost-metrics.ipynb\"")),
                        family + " by notebook in the sidecar's scrape:\n" + metrics);
            }
            double allocated = metrics.lines()
                    .filter(l -> l.startsWith("notebook_cell_allocated_bytes_sum{"))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                    .sum();
            assertTrue(allocated >= 50e6, "the 50 MB cell is in the allocation histogram: " + allocated);
            Promtool.Result verdict = Promtool.checkMetrics(metrics);
            assertTrue(verdict.accepted(), "promtool check metrics:\n" + verdict.output());
        }
    }
}
