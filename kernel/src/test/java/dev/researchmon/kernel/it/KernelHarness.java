package dev.researchmon.kernel.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.researchmon.testkit.Jdks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the integration tests share: the kernelspec installed by the real launcher into a temporary
 * {@code JUPYTER_DATA_DIR}, and Debian's Python/Jupyter run against it. Every process started here
 * is stopped here, descendants (the kernels jupyter_client started) first.
 */
public final class KernelHarness {
    static final Path MODULE = Path.of("").toAbsolutePath();
    static final Path REPO = MODULE.getParent();
    static final Path PYTHON_TESTS = MODULE.resolve("src/test/python");
    static final String KERNEL_NAME = "java-it";
    /** Output and exit status of a finished command. */
    record Result(int exitCode, String output) {}

    /** A JDK the kernel is installed with; named by its release in test names. */
    public record Jdk(int feature, Path home) {
        @Override
        public String toString() {
            return "Java " + feature;
        }
    }

    private KernelHarness() {}

    /**
     * The JDKs every kernel IT runs on: the supported ones this machine has ({@code /usr/lib/jvm},
     * or {@code -Dkernel.it.jdks=HOME,HOME}), found by testkit's {@link Jdks}. A supported release the
     * host lacks runs in the research container instead (the jupyter module's JdkCoverageIT).
     */
    public static List<Jdk> jdks() {
        List<Jdk> jdks = new ArrayList<>();
        for (Jdks.Jdk jdk : Jdks.onHost()) {
            jdks.add(new Jdk(jdk.feature(), jdk.home()));
        }
        assertTrue(!jdks.isEmpty(), "no supported JDK (" + Jdks.SUPPORTED + ") on this machine");
        return jdks;
    }

    /**
     * Installs the kernelspec with {@code bin/research-kernel install} run by {@code jdk} (as a user
     * with JAVA_HOME set would) into {@code dataDir}, and checks that it names that JDK's java.
     */
    static void installKernelspec(Path dataDir, Jdk jdk) throws Exception {
        assertTrue(
                Files.isRegularFile(MODULE.resolve("target/research-kernel.jar")),
                "the shaded jar is built in the package phase, before the integration tests");
        Result r = run(
                List.of(REPO.resolve("bin/research-kernel").toString(), "install", "--name", KERNEL_NAME),
                MODULE,
                Map.of(
                        "JUPYTER_DATA_DIR",
                        dataDir.toString(),
                        "JAVA_HOME",
                        jdk.home().toString()),
                60);
        assertEquals(0, r.exitCode(), r.output());
        Path spec = dataDir.resolve("kernels").resolve(KERNEL_NAME).resolve("kernel.json");
        assertTrue(Files.isRegularFile(spec), r.output());
        String java =
                new ObjectMapper().readTree(spec.toFile()).path("argv").get(0).asText();
        assertEquals(jdk.home().resolve("bin/java").toRealPath(), Path.of(java).toRealPath(), "kernelspec's java");
    }

    /** Installs the kernelspec for the build's own JDK. */
    static void installKernelspec(Path dataDir) throws Exception {
        installKernelspec(dataDir, new Jdk(Runtime.version().feature(), Path.of(System.getProperty("java.home"))));
    }

    /**
     * Runs a whole unittest module of src/test/python with Debian's Python against the installed
     * kernel, through run_suite.py; returns each test's outcome by "Class.test_name".
     */
    static Suite pythonSuite(Path dataDir, String module, Map<String, String> extraEnv, long timeoutSeconds)
            throws Exception {
        Path results = Files.createTempFile("kernel-it-results", ".json");
        try {
            Map<String, String> env = new java.util.HashMap<>(extraEnv);
            env.put("JUPYTER_DATA_DIR", dataDir.toString());
            env.put("RESEARCH_KERNEL_NAME", KERNEL_NAME);
            env.put("PYTHONDONTWRITEBYTECODE", "1");
            Result r = run(
                    List.of("/usr/bin/python3", "run_suite.py", module, results.toString()),
                    PYTHON_TESTS,
                    env,
                    timeoutSeconds);
            JsonNode outcomes = Files.size(results) == 0 ? null : new ObjectMapper().readTree(results.toFile());
            return new Suite(r, outcomes);
        } finally {
            Files.deleteIfExists(results);
        }
    }

    /** The outcomes of one python module's run. */
    record Suite(Result run, JsonNode outcomes) {
        /** Asserts that the test {@code Class.test_name} ran and passed; shows why it did not. */
        void assertPassed(String test) {
            assertTrue(outcomes != null, "the python suite did not finish:\n" + run.output());
            JsonNode o = outcomes.path(test);
            assertTrue(!o.isMissingNode(), test + " did not run:\n" + run.output());
            assertEquals(
                    "ok",
                    o.path("outcome").asText(),
                    test + ": " + o.path("detail").asText() + "\n--- whole run ---\n" + run.output());
        }
    }

    static Result run(List<String> command, Path dir, Map<String, String> env, long timeoutSeconds)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("kernel-it", ".log");
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                stop(p);
                return new Result(-1, "timed out after " + timeoutSeconds + " s\n" + Files.readString(log));
            }
            return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            stop(p);
            Files.deleteIfExists(log);
        }
    }

    /** Stops a process and everything it started, politely first. */
    static void stop(Process p) throws InterruptedException {
        List<ProcessHandle> children = p.descendants().toList();
        children.forEach(ProcessHandle::destroy);
        p.destroy();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        for (ProcessHandle c : children) {
            if (c.isAlive()) {
                c.destroyForcibly();
            }
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }
}
