package dev.researchmon.kernel.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A small notebook run through {@code jupyter nbconvert --execute} with this kernel. */
class NotebookExecutionIT {
    private static Path dataDir;
    private static Path out;

    @BeforeAll
    static void install() throws Exception {
        dataDir = Files.createTempDirectory("jupyter-data");
        KernelHarness.installKernelspec(dataDir);
        out = Files.createTempDirectory("nb-out");
    }

    @AfterAll
    static void clean() throws Exception {
        KernelHarness.deleteTree(dataDir);
        KernelHarness.deleteTree(out);
    }

    @Test
    void nbconvertExecute_runsEveryCell_withOutputsInTheNotebook() throws Exception {
        Path notebook = KernelHarness.MODULE.resolve("src/test/resources/notebooks/java-basics.ipynb");
        KernelHarness.Result r = KernelHarness.run(
                List.of(
                        "/usr/bin/jupyter",
                        "nbconvert",
                        "--to",
                        "notebook",
                        "--execute",
                        "--ExecutePreprocessor.kernel_name=" + KernelHarness.KERNEL_NAME,
                        "--ExecutePreprocessor.timeout=60",
                        "--output-dir",
                        out.toString(),
                        notebook.toString()),
                KernelHarness.MODULE,
                Map.of("JUPYTER_DATA_DIR", dataDir.toString()),
                180);
        assertEquals(0, r.exitCode(), r.output());

        JsonNode cells = new ObjectMapper()
                .readTree(out.resolve("java-basics.ipynb").toFile())
                .path("cells");
        JsonNode print = cells.get(1).path("outputs").get(0);
        assertEquals("stream", print.path("output_type").asText());
        assertEquals("answer is 42\n", text(print.path("text")));

        JsonNode result = cells.get(2).path("outputs").get(0);
        assertEquals("execute_result", result.path("output_type").asText());
        assertEquals("84", text(result.path("data").path("text/plain")));
        assertEquals(2, result.path("execution_count").asInt());

        JsonNode shown = cells.get(3).path("outputs").get(0);
        assertEquals("display_data", shown.path("output_type").asText());
        assertEquals("<b>done</b>", text(shown.path("data").path("text/html")));

        String magics = text(cells.get(4).path("outputs").get(0).path("data").path("text/plain"));
        assertTrue(magics.contains("%classpath") && magics.contains("%jars"), magics);
    }

    /** nbformat stores multi-line text as a list of lines. */
    private static String text(JsonNode node) {
        if (!node.isArray()) {
            return node.asText();
        }
        StringBuilder sb = new StringBuilder();
        node.forEach(n -> sb.append(n.asText()));
        return sb.toString();
    }
}
