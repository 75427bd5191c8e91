package dev.researchmon.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code %dashboard} as a reader sees it: a notebook turns monitoring on, does some work (two
 * failing cells among it) and draws the dashboard, run by {@code jupyter nbconvert --execute} with
 * the real kernel against the sidecar (stub NVML, one GPU), Debian's node-exporter and Debian's
 * Prometheus with the project's recording rules; exported to HTML by nbconvert and opened in
 * Debian's headless Chromium. Every default panel must have drawn data: charts with lines of
 * points, stats with numbers, nowhere a "No data"; and the same for the Notebook costs row, drawn by name. The screenshot stays in
 * {@code notebooks/target/dashboard-it/}.
 */
class DashboardNotebookIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NOTEBOOK = "dashboard.ipynb";
    private static final Pattern FIGURE = Pattern.compile(
            "<figure class=\"rm-panel rm-(timeseries|stat)\" data-panel=\"([^\"]*)\" data-state=\"(\\w+)\">(.*?)</figure>",
            Pattern.DOTALL);
    private static final Pattern POINTS = Pattern.compile("<polyline class=\"series\"[^>]* points=\"([^\"]*)\"");

    @TempDir
    Path dir;

    @Test
    void dashboard_inAnExportedNotebook_drawsEveryDefaultPanelAndTheCostsRowWithData() throws Exception {
        Path out = Files.createDirectories(Repo.root().resolve("notebooks/target/dashboard-it"));
        try (TestStack stack = TestStack.startWithHost(dir)) {
            Path notebook = writeNotebook(dir.resolve(NOTEBOOK));
            long started = System.nanoTime();
            Nbconvert.ExecutedNotebook nb = Nbconvert.execute(notebook, out, stack.kernelEnvironment());
            String text = nb.outputOf("%dashboard", "text/plain");
            assertTrue(text.contains("Grafana does not answer at http://127.0.0.1:" + stack.deadPort), text);

            long t0 = System.nanoTime();
            Path html = Nbconvert.exportHtml(out.resolve(NOTEBOOK), out, "light");
            String dom = Chromium.open(html, out.resolve("dashboard.png"), 1280, 3400, dir);
            Files.writeString(out.resolve("dashboard-dom.html"), dom);
            // the same page in JupyterLab's dark theme, for a person to look at: the charts follow it
            Path dark =
                    Nbconvert.exportHtml(out.resolve(NOTEBOOK), Files.createDirectories(out.resolve("dark")), "dark");
            Chromium.open(dark, out.resolve("dashboard-dark.png"), 1280, 3400, dir);
            System.out.printf(
                    "DashboardNotebookIT: notebook %d s, export and browser %d s%n",
                    (t0 - started) / 1_000_000_000, (System.nanoTime() - t0) / 1_000_000_000);

            List<String> problems = new ArrayList<>();
            List<String> panels = new ArrayList<>();
            Matcher figure = FIGURE.matcher(dom);
            while (figure.find()) {
                String type = figure.group(1);
                String title = figure.group(2);
                String body = figure.group(4);
                panels.add(title);
                if (!figure.group(3).equals("data") || body.contains("No data")) {
                    problems.add(title + ": no data drawn: "
                            + body.replaceAll("<[^>]+>", " ").strip());
                } else if (type.equals("timeseries") && !hasLineOfPoints(body)) {
                    problems.add(title + ": no line with two points or more");
                } else if (type.equals("stat") && !body.contains("class=\"rm-num\"")) {
                    problems.add(title + ": no number");
                }
            }
            assertEquals(
                    List.of(
                            "Cells per second",
                            "Failing cells",
                            "Cell errors in range",
                            "Kernel CPU (cores)",
                            "Kernel memory",
                            "GPU activity",
                            "GPU memory",
                            "GPU temperature",
                            "GPU power",
                            "CPU usage by mode",
                            "Memory",
                            "Filesystem used",
                            // then the row asked for by name: energy, GPU time and the cells' costs
                            "GPU power per notebook",
                            "GPU time per notebook",
                            "GPU energy per notebook in range",
                            "GPU time per notebook in range",
                            "Cell CPU per notebook",
                            "Cell allocation per notebook",
                            "Cell GC pauses per notebook"),
                    panels,
                    "the default panels, then the Notebook costs row's, in order");
            assertTrue(problems.isEmpty(), String.join("\n", problems) + "\nsee " + out);
            assertFalse(dom.contains("Traceback"), "an error in the exported page; see " + out);
        }
    }

    private static boolean hasLineOfPoints(String figureBody) {
        Matcher m = POINTS.matcher(figureBody);
        while (m.find()) {
            if (m.group(1).strip().split(" ").length >= 2) {
                return true;
            }
        }
        return false;
    }

    /**
     * A notebook cell that waits (at most 90 s) until Prometheus holds a few points of what the
     * default panels draw: on a busy machine scrapes and rule evaluations come late, and the test
     * is about drawing, not about timing.
     */
    private static final String WAIT_FOR_PROMETHEUS = """
            import java.net.URI;
            import java.net.URLEncoder;
            import java.net.http.*;
            import java.nio.charset.StandardCharsets;
            var http = HttpClient.newHttpClient();
            String prometheus = System.getenv("RESEARCH_MONITOR_PROMETHEUS_URL");
            String nb = "notebook=\\"dashboard.ipynb\\"";
            String[] wanted = {
                "count_over_time(notebook:notebook_cells_executed:rate5m{" + nb + ", status=\\"ok\\"}[5m]) >= 3",
                "count_over_time(notebook:notebook_cell_errors:ratio_rate5m{" + nb + "}[5m]) >= 3",
                "count_over_time(notebook_kernel_cpu_seconds_total{" + nb + "}[5m]) >= 4",
                "count_over_time(gpu_temperature_celsius[5m]) >= 3",
                "count_over_time(instance:node_cpu_utilisation:rate5m[5m]) >= 3",
                "count_over_time(node_filesystem_avail_bytes{mountpoint=\\"/\\"}[5m]) >= 3"};
            long deadline = System.currentTimeMillis() + 90_000;
            int ready = 0;
            while (ready < wanted.length && System.currentTimeMillis() < deadline) {
                String q = URLEncoder.encode(wanted[ready], StandardCharsets.UTF_8);
                String body = http.send(HttpRequest.newBuilder(URI.create(prometheus + "/api/v1/query?query=" + q)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                if (body.contains("\\"value\\"")) ready++; else Thread.sleep(500);
            }
            ready + " of " + wanted.length + " ready"
            """;

    /** %monitoring on, work, two failing cells a few scrapes apart, a pause for rates to fill, %dashboard. */
    private static Path writeNotebook(Path file) throws Exception {
        ObjectNode nb = JSON.createObjectNode();
        ObjectNode kernelspec = nb.putObject("metadata").putObject("kernelspec");
        kernelspec.put("name", "java").put("display_name", "Java").put("language", "java");
        nb.put("nbformat", 4).put("nbformat_minor", 5);
        ArrayNode cells = nb.putArray("cells");
        code(cells, "%monitoring on", false);
        code(cells, "long sum = 0;\nfor (int i = 0; i < 20_000_000; i++) sum += i % 7;\nsum", false);
        code(cells, "Integer.parseInt(\"forty-two\")", true);
        code(cells, "Thread.sleep(1500)", false);
        code(cells, "Integer.parseInt(\"forty-three\")", true);
        code(
                cells,
                "byte[][] held = new byte[64][];\nfor (int i = 0; i < held.length; i++) held[i] = new byte[1 << 20];\n"
                        + "for (int i = 0; i < 6; i++) { long s = 0; for (int j = 0; j < 5_000_000; j++) s += j % 3; Thread.sleep(1000); }",
                false);
        code(cells, WAIT_FOR_PROMETHEUS, false);
        code(cells, "%dashboard --range 2m", false);
        code(cells, "%dashboard --range 2m \"Notebook costs\"", false);
        return Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(nb));
    }

    private static void code(ArrayNode cells, String source, boolean failsOnPurpose) {
        ObjectNode cell = cells.addObject();
        cell.put("id", "cell-" + cells.size());
        cell.put("cell_type", "code").put("execution_count", (Integer) null).put("source", source);
        ObjectNode metadata = cell.putObject("metadata");
        if (failsOnPurpose) {
            metadata.putArray("tags").add("raises-exception");
        }
        cell.putArray("outputs");
    }
}
