package dev.researchmon.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each example notebook runs top to bottom through {@code jupyter nbconvert --execute} with the real
 * kernel, against the real sidecar and Prometheus, and its metrics then sit in Prometheus with the
 * notebook's label. Range selectors ({@code max_over_time}) because a kernel's series leave the
 * sidecar when nbconvert shuts it down.
 */
class ExampleNotebooksIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;

    static TestStack stack;

    @BeforeAll
    static void startStack() throws Exception {
        stack = TestStack.start(dir);
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    private static Nbconvert.ExecutedNotebook run(String name) throws Exception {
        return run(Repo.notebook(name));
    }

    private static Nbconvert.ExecutedNotebook run(Path notebook) throws Exception {
        // Kept under target/ so that a failing run can be opened and read.
        Path out = Repo.root().resolve("notebooks/target/executed-notebooks");
        return Nbconvert.execute(notebook, out, stack.kernelEnvironment());
    }

    private static double reached(String selector) throws Exception {
        return stack.prometheus.awaitValue("max_over_time(" + selector + "[10m])", WAIT);
    }

    @Test
    void quickstart_reportsTheFourExampleMetricsWithItsNotebookLabel() throws Exception {
        var nb = run("quickstart.ipynb");

        assertEquals(20, reached("ml_batches_processed_total{notebook=\"quickstart.ipynb\"}"));
        assertEquals(20, reached("training_batch_seconds_count{notebook=\"quickstart.ipynb\"}"));
        assertEquals(20, reached("prediction_latency_seconds_count{notebook=\"quickstart.ipynb\"}"));
        assertTrue(reached("notebook_cells_executed_total{notebook=\"quickstart.ipynb\",status=\"ok\"}") >= 2);
        // a notebook's own gpu_ metric is kept: only the sidecar's exact GPU names are reserved
        double gpuMemoryMb = reached("gpu_memory_used_mb{notebook=\"quickstart.ipynb\"}");
        assertTrue(gpuMemoryMb >= 1024 && gpuMemoryMb < 1536, "gpu_memory_used_mb = " + gpuMemoryMb);

        String metrics = nb.outputOf("%metrics", "text/plain");
        assertTrue(
                metrics.contains("ml_batches_processed_total") && metrics.contains("notebook_cell_duration_seconds"),
                metrics);
        String gpu = nb.outputOf("%gpu", "text/plain");
        assertTrue(gpu.contains("GPU") && gpu.contains("MiB"), "the stub NVML's one GPU as a table: " + gpu);
        assertTrue(nb.outputOf("%monitoring status", "text/plain").contains("monitoring   on"));
    }

    @Test
    void training_reportsLossThroughputAndBatchTimes() throws Exception {
        var nb = run("training.ipynb");

        assertEquals(15 * 20_000, reached("training_samples_total{notebook=\"training.ipynb\",phase=\"train\"}"));
        assertEquals(
                15 * 79, reached("training_batch_duration_seconds_count{notebook=\"training.ipynb\",phase=\"train\"}"));
        assertEquals(15, reached("training_epochs_total{notebook=\"training.ipynb\"}"));
        double loss = stack.prometheus.awaitValue(
                "last_over_time(training_loss{notebook=\"training.ipynb\",phase=\"train\"}[10m])", WAIT);
        assertTrue(loss > 0 && loss < 0.3, "the model learns: loss " + loss);
        assertTrue(
                nb.outputOf("int correct", "text/plain").contains("training accuracy 0.9"),
                nb.outputOf("int correct", "text/plain"));
    }

    @Test
    void rerunningTheCellThatRegistersAMetric_replacesItInsteadOfFailing() throws Exception {
        var nb = run(Repo.root().resolve("notebooks/src/test/resources/rerun-registration.ipynb"));

        assertEquals("3.0", nb.outputOf("reruns.inc(2)", "text/plain"), "the second run's counter: 1 + 2");
        String reported = nb.outputOf("%metrics", "text/plain");
        assertEquals(
                1,
                java.util.regex.Pattern.compile("(?m)^rerun_cells_total +counter +3$")
                        .matcher(reported)
                        .results()
                        .count(),
                "what the kernel reports is the second run's counter, once: " + reported);
    }

    @Test
    void querying_showsTablesAndChartsFromPrometheus() throws Exception {
        var nb = run("querying.ipynb");

        assertEquals(1, reached("matrix_multiply_seconds_count{notebook=\"querying.ipynb\"}"));
        assertEquals(1, reached("notebook_cells_executed_total{notebook=\"querying.ipynb\",status=\"error\"}"));

        String byStatus = nb.outputOf("%metrics query sum by (status)", "text/plain");
        assertTrue(byStatus.contains("{status=\"ok\"}") && byStatus.contains("{status=\"error\"}"), byStatus);
        String heap = nb.outputOf("%metrics plot notebook_kernel_heap_bytes", "image/svg+xml");
        assertTrue(heap.startsWith("<svg") && heap.contains("class=\"series\""), heap);
        String dashboard = nb.outputOf("%dashboard", "text/plain");
        assertTrue(dashboard.startsWith("Grafana does not answer at "), dashboard);
        assertTrue(dashboard.contains("notebook querying.ipynb, last 1h"), dashboard);
        assertTrue(dashboard.contains("\nKernel memory:\n  resident  last "), dashboard);
        // no node-exporter in this stack: the host's panels say so
        assertTrue(
                dashboard.contains("\nCPU usage by mode: No data: Prometheus has no target of job \"node-exporter\""),
                dashboard);
    }
}
