package dev.researchmon.kernel.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the integration tests share: the kernelspec installed by the real launcher into a temporary
 * {@code JUPYTER_DATA_DIR}, and Debian's Python/Jupyter run against it. Every process started here
 * is stopped here, descendants (the kernels jupyter_client started) first.
 */
final class KernelHarness {
    static final Path MODULE = Path.of("").toAbsolutePath();
    static final Path REPO = MODULE.getParent();
    static final Path PYTHON_TESTS = MODULE.resolve("src/test/python");
    static final String KERNEL_NAME = "java-it";

    /** Output and exit status of a finished command. */
    record Result(int exitCode, String output) {
    }

    private KernelHarness() {
    }

    /** Installs the kernelspec with {@code bin/research-kernel install} into {@code dataDir}. */
    static void installKernelspec(Path dataDir) throws Exception {
        assertTrue(Files.isRegularFile(MODULE.resolve("target/research-kernel.jar")),
                "the shaded jar is built in the package phase, before the integration tests");
        Result r = run(List.of(REPO.resolve("bin/research-kernel").toString(), "install", "--name", KERNEL_NAME),
                MODULE, Map.of("JUPYTER_DATA_DIR", dataDir.toString()), 60);
        assertTrue(r.exitCode() == 0, r.output());
        assertTrue(Files.isRegularFile(dataDir.resolve("kernels").resolve(KERNEL_NAME).resolve("kernel.json")), r.output());
    }

    /** Runs one unittest target of src/test/python with Debian's Python against the installed kernel. */
    static Result python(Path dataDir, String target, Map<String, String> extraEnv, long timeoutSeconds)
            throws Exception {
        Map<String, String> env = new java.util.HashMap<>(extraEnv);
        env.put("JUPYTER_DATA_DIR", dataDir.toString());
        env.put("RESEARCH_KERNEL_NAME", KERNEL_NAME);
        env.put("PYTHONDONTWRITEBYTECODE", "1");
        return run(List.of("/usr/bin/python3", "-m", "unittest", "-v", target), PYTHON_TESTS, env, timeoutSeconds);
    }

    static Result run(List<String> command, Path dir, Map<String, String> env, long timeoutSeconds)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("kernel-it", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
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
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
