package dev.researchmon.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.researchmon.testkit.FreePort;
import dev.researchmon.testkit.HttpWait;
import dev.researchmon.testkit.LocalPrometheus;
import dev.researchmon.testkit.TempDirs;
import dev.researchmon.testkit.containers.PodmanService;
import dev.researchmon.testkit.containers.TestImages;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The research image running as it does for a researcher (its entrypoint: the sidecar beside
 * JupyterLab on Jupyter Server 2), on free loopback ports of this machine, with Debian's Prometheus
 * on the host scraping its sidecar every second and its kernels pointed at that Prometheus. The
 * image used is the research image plus the conformance suite ({@code src/test/docker/Containerfile}).
 *
 * <pre>{@code
 * try (ResearchContainer research = ResearchContainer.start()) {
 *     research.jupyterUrl();                          // http://127.0.0.1:PORT, token research.token()
 *     research.exec(Duration.ofMinutes(2), "jupyter", "--version");
 * }
 * }</pre>
 */
final class ResearchContainer implements AutoCloseable {
    static final String TEST_IMAGE = "localhost/research-monitor/jupyter-test:test";
    /** Where the kernel's Python checks (and their runner, run_suite.py) are mounted in the container. */
    static final String PYTHON_TESTS = "/opt/research-tests/python";
    /** Where this module's own Python checks are mounted. */
    static final String JUPYTER_PYTHON_TESTS = "/opt/research-tests/jupyter-python";

    static final String NOTEBOOKS = "/opt/research-tests/notebooks";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PodmanService podman;
    private final Container container;
    private final LocalPrometheus prometheus;
    private final Path dir;
    private final URI jupyterUrl;
    private final URI sidecarUrl;
    private final String token;

    private ResearchContainer(
            PodmanService podman,
            Container container,
            LocalPrometheus prometheus,
            Path dir,
            URI jupyterUrl,
            URI sidecarUrl,
            String token) {
        this.podman = podman;
        this.container = container;
        this.prometheus = prometheus;
        this.dir = dir;
        this.jupyterUrl = jupyterUrl;
        this.sidecarUrl = sidecarUrl;
        this.token = token;
    }

    /**
     * Builds the images (once per machine and change), starts the container and the host's
     * Prometheus (its data in a temporary folder, removed on {@link #close()}). Test classes get it
     * through {@link SharedResearchContainer}.
     */
    static ResearchContainer start() throws Exception {
        long started = System.nanoTime();
        Path dir = TempDirs.create("research-container");
        PodmanService podman = PodmanService.startShared();
        LocalPrometheus prometheus = null;
        Container container = null;
        try {
            String researchImage = TestImages.ensureResearchImage(podman);
            Path recipe = TestImages.repoRoot().resolve("jupyter/src/test/docker");
            podman.podmanOnImages(
                    Duration.ofMinutes(10),
                    "build",
                    "--network",
                    "host",
                    "--format",
                    "docker",
                    "--layers",
                    "--build-arg",
                    "RESEARCH_IMAGE=" + researchImage,
                    "--tag",
                    TEST_IMAGE,
                    "--file",
                    recipe.resolve("Containerfile").toString(),
                    recipe.toString());
            System.out.printf("jupyter ITs: images ready in %.0f s%n", (System.nanoTime() - started) / 1e9);

            int jupyterPort = FreePort.loopback();
            int sidecarPort = FreePort.loopback();
            int prometheusPort = FreePort.loopback();
            URI jupyterUrl = URI.create("http://127.0.0.1:" + jupyterPort);
            URI sidecarUrl = URI.create("http://127.0.0.1:" + sidecarPort);
            String token = UUID.randomUUID().toString();
            prometheus = LocalPrometheus.scrapingSidecar(dir.resolve("prometheus"), prometheusPort, sidecarUrl);

            Map<String, String> env = new HashMap<>();
            env.put("RESEARCH_BIND", "127.0.0.1");
            env.put("JUPYTER_PORT", Integer.toString(jupyterPort));
            env.put("SIDECAR_PORT", Integer.toString(sidecarPort));
            // for the kernels of commands run with exec too (nbconvert's): the entrypoint sets it
            // only for the Jupyter server it starts
            env.put("RESEARCH_MONITOR_SIDECAR_URL", sidecarUrl.toString());
            env.put("JUPYTER_TOKEN", token);
            env.put("RESEARCH_MONITOR_PROMETHEUS_URL", prometheus.url().toString());
            env.put("RESEARCH_KERNEL_NAME", "java");
            env.put("PYTHONDONTWRITEBYTECODE", "1");
            Path repo = TestImages.repoRoot();
            container = Container.start(
                    podman,
                    TEST_IMAGE,
                    env,
                    List.of(
                            repo.resolve("kernel/src/test/python") + ":" + PYTHON_TESTS + ":ro",
                            repo.resolve("jupyter/src/test/python") + ":" + JUPYTER_PYTHON_TESTS + ":ro",
                            repo.resolve("notebooks") + ":" + NOTEBOOKS + ":ro"));
            ResearchContainer research =
                    new ResearchContainer(podman, container, prometheus, dir, jupyterUrl, sidecarUrl, token);
            research.awaitUp(jupyterUrl.resolve("/api"), Duration.ofMinutes(2));
            research.awaitUp(sidecarUrl.resolve("/-/healthy"), Duration.ofMinutes(1));
            System.out.printf(
                    "jupyter ITs: research container up in %.0f s in all%n", (System.nanoTime() - started) / 1e9);
            return research;
        } catch (Exception | Error e) {
            if (container != null) {
                System.out.println("container log:\n" + container.logs());
                container.close();
            }
            if (prometheus != null) {
                prometheus.close();
            }
            podman.close();
            TempDirs.deleteTree(dir);
            throw e;
        }
    }

    private void awaitUp(URI url, Duration timeout) throws IOException, InterruptedException {
        HttpWait.awaitOk(url, timeout, () -> "container log:\n" + container.logs());
    }

    URI jupyterUrl() {
        return jupyterUrl;
    }

    URI sidecarUrl() {
        return sidecarUrl;
    }

    String token() {
        return token;
    }

    LocalPrometheus prometheus() {
        return prometheus;
    }

    Container.Exit exec(Duration timeout, String... command) throws IOException, InterruptedException {
        return container.exec(timeout, command);
    }

    /** Runs a shell line in the container, in the folder of the kernel's Python checks. */
    Container.Exit shell(Duration timeout, String line) throws IOException, InterruptedException {
        return container.exec(timeout, "bash", "-c", "cd " + PYTHON_TESTS + " && " + line);
    }

    /**
     * A shell line for {@link #pythonSuite}'s setup: the %classpath check needs a jar the kernel has
     * never seen, made here with the image's JDK for Java 17 bytecode, so that a kernel on any JDK
     * the container has (17 to 25) can load it; exported as RESEARCH_TEST_JAR.
     */
    static String testJarSetup() {
        return String.join(
                " && ",
                "lib=$(mktemp -d) && mkdir -p $lib/src/testlib",
                "echo 'package testlib; public class Greeter { public String greet() { return \"hello from a jar\"; } }'"
                        + " > $lib/src/testlib/Greeter.java",
                "javac --release 17 -d $lib/classes $lib/src/testlib/Greeter.java",
                "jar cf $lib/greeter.jar -C $lib/classes .",
                "export RESEARCH_TEST_JAR=$lib/greeter.jar");
    }

    /**
     * Runs one unittest module (the kernel's or this module's) with the container's Python through
     * the kernel's run_suite.py, after {@code setup} (a shell line, may be empty); returns each
     * test's outcome by name.
     */
    PythonSuite pythonSuite(String module, String setup, Duration timeout) throws IOException, InterruptedException {
        String results = "/tmp/results-" + module + ".json";
        Container.Exit run = shell(
                timeout,
                (setup.isEmpty() ? "" : setup + " && ")
                        + "PYTHONDONTWRITEBYTECODE=1 PYTHONPATH=" + JUPYTER_PYTHON_TESTS
                        + " python3 run_suite.py " + module + " " + results);
        Container.Exit outcomes = container.exec(Duration.ofSeconds(30), "cat", results);
        return new PythonSuite(
                module,
                run,
                outcomes.code() == 0 && !outcomes.output().isBlank() ? JSON.readTree(outcomes.output()) : null);
    }

    /** The outcomes of one Python module's run, by "Class.test_name". */
    record PythonSuite(String module, Container.Exit run, JsonNode outcomes) {
        /** Asserts that at least {@code atLeast} tests ran and that every one passed (a skip is not a pass). */
        void assertEveryTestPassed(int atLeast) {
            assertNotNull(outcomes, module + " did not finish:\n" + run.output());
            List<String> notPassed = new ArrayList<>();
            outcomes.fields().forEachRemaining(e -> {
                if (!"ok".equals(e.getValue().path("outcome").asText())) {
                    notPassed.add(
                            e.getKey() + " " + e.getValue().path("outcome").asText() + ": "
                                    + e.getValue().path("detail").asText());
                }
            });
            assertTrue(
                    notPassed.isEmpty(),
                    module + ": " + String.join("\n", notPassed) + "\n--- whole run ---\n" + run.output());
            assertTrue(
                    outcomes.size() >= atLeast,
                    module + " ran " + outcomes.size() + " tests, expected at least " + atLeast + "\n" + run.output());
            assertEquals(0, run.code(), run.output());
            System.out.printf("%s: %d tests passed: %s%n", module, outcomes.size(), String.join(", ", names()));
        }

        private List<String> names() {
            List<String> names = new ArrayList<>();
            outcomes.fieldNames().forEachRemaining(names::add);
            return names;
        }
    }

    String logs() throws IOException, InterruptedException {
        return container.logs();
    }

    @Override
    public void close() throws Exception {
        try {
            container.close();
        } finally {
            try {
                prometheus.close();
            } finally {
                podman.close();
                TempDirs.deleteTree(dir);
            }
        }
    }
}
