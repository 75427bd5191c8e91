package dev.researchmon.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code notebooks/training-djl.ipynb} runs through nbconvert with monitoring on: {@code %maven}
 * resolves DJL and PyTorch's CPU engine from Maven Central (or ~/.m2), a small network trains on
 * generated data, and Prometheus then holds the training series with the values DJL logged.
 * {@code last_over_time} because a kernel's series leave the sidecar when nbconvert shuts it down.
 */
class TrainingDjlNotebookIT {
    private static final String NOTEBOOK = "training-djl.ipynb";
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** What the notebook trains: 1024 training and 256 validation points, batches of 32, 5 epochs. */
    private static final int EPOCHS = 5;

    private static final int TRAIN_BATCHES = EPOCHS * 1024 / 32;
    private static final int VALIDATION_BATCHES = EPOCHS * 256 / 32;
    private static final Pattern LOGGED = Pattern.compile("(\\w+)=([0-9.E-]+)");

    @TempDir
    static Path dir;

    static TestStack stack;

    @BeforeAll
    static void startStack() throws Exception {
        // the notebook asks for PyTorch's linux-x86_64 native jar; say so plainly elsewhere
        assumeTrue(
                System.getProperty("os.name").equals("Linux")
                        && System.getProperty("os.arch").equals("amd64"),
                "PyTorch's CPU engine is resolved for linux-x86_64; this machine is "
                        + System.getProperty("os.name") + "/" + System.getProperty("os.arch")
                        + " (the plain-Java training API is proven by ml's TrainingSeriesInPrometheusIT)");
        stack = TestStack.start(dir);
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void djlTraining_reportsItsSeriesWithTheValuesDjlLogged() throws Exception {
        Nbconvert.ExecutedNotebook nb =
                Nbconvert.execute(Repo.notebook(NOTEBOOK), dir.resolve("out"), stack.kernelEnvironment());

        String maven = nb.outputOf("%maven", "text/plain");
        assertTrue(
                maven.contains("pytorch-native-cpu-2.7.1-linux-x86_64.jar") && maven.contains("-djl.jar"),
                "DJL, its native jar and the listener jar are added: " + maven);
        Map<String, Double> logged = logged(nb.outputOf("\"logged epochs=", "text/plain"));

        assertEquals(EPOCHS, logged.get("epochs"));
        assertEquals(EPOCHS, last("training_epochs_total"));
        assertEquals(TRAIN_BATCHES, last("training_batches_total{phase=\"train\"}"));
        assertEquals(VALIDATION_BATCHES, last("training_batches_total{phase=\"validation\"}"));
        assertEquals(TRAIN_BATCHES, last("training_batch_duration_seconds_count{phase=\"train\"}"));
        assertEquals(EPOCHS * 1024, last("training_samples_total{phase=\"train\"}"));
        assertClose(logged.get("train_loss"), last("training_loss{phase=\"train\"}"));
        assertClose(logged.get("validate_loss"), last("training_loss{phase=\"validation\"}"));
        assertClose(logged.get("train_accuracy"), last("training_metric{evaluator=\"Accuracy\",phase=\"train\"}"));
        assertClose(
                logged.get("validate_accuracy"), last("training_metric{evaluator=\"Accuracy\",phase=\"validation\"}"));
        assertClose(0.1, last("training_learning_rate"));
        assertTrue(last("training_samples_per_second") > 0);
    }

    /** The series' last value, selected by this notebook's label. */
    private static double last(String series) throws Exception {
        String selector = "notebook=\"" + NOTEBOOK + "\"";
        String labelled =
                series.contains("{") ? series.replace("{", "{" + selector + ",") : series + "{" + selector + "}";
        return stack.prometheus.awaitValue("last_over_time(" + labelled + "[10m])", WAIT);
    }

    /** The notebook's "logged epochs=5 train_loss=0.13 ..." line as name to value. */
    private static Map<String, Double> logged(String line) {
        Map<String, Double> values = new HashMap<>();
        Matcher m = LOGGED.matcher(line);
        while (m.find()) {
            values.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        assertEquals(5, values.size(), "the notebook logs epochs, two losses and two accuracies: " + line);
        return values;
    }

    /** DJL logs floats; Prometheus holds the same float widened to a double. */
    private static void assertClose(double expected, double actual) {
        assertEquals(
                expected, actual, 1e-6 * Math.max(1, Math.abs(expected)), "expected " + expected + ", got " + actual);
    }
}
