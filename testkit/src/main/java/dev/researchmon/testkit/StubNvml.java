package dev.researchmon.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The stub {@code libnvidia-ml.so.1} ({@code sidecar/src/test/c/nvml_stub.c}), compiled with gcc
 * once per test JVM into the running module's {@code target/nvml-stub/}, and copies of it
 * configured for one test case each. The stub reads its configuration ({@code STUB_NVML_GPUS},
 * {@code STUB_NVML_PROCESSES}, ...) from the environment or from {@code <library>.env}.
 *
 * <pre>{@code
 * Path lib = StubNvml.configured(tmp.resolve("nvml"), Map.of("STUB_NVML_GPUS", "2"));
 * // or: StubNvml.compiled(), with STUB_NVML_* in the environment of the process that loads it
 * }</pre>
 */
public final class StubNvml {
    private static Path compiled;

    private StubNvml() {
    }

    /**
     * The C source in this checkout: under {@code repo.root} (set by the poms' failsafe
     * configuration), else {@code ..} as tests run in their module's folder.
     */
    public static Path source() {
        return Path.of(System.getProperty("repo.root", ".."), "sidecar/src/test/c/nvml_stub.c")
                .toAbsolutePath().normalize();
    }

    /** The compiled stub; built on first use, with warnings as errors so the stub stays honest C. */
    public static synchronized Path compiled() throws IOException, InterruptedException {
        if (compiled != null) {
            return compiled;
        }
        Path out = Path.of("target/nvml-stub/libnvidia-ml.so.1").toAbsolutePath();
        Files.createDirectories(out.getParent());
        Process gcc = new ProcessBuilder("gcc", "-shared", "-fPIC", "-O2", "-Wall", "-Werror",
                "-o", out.toString(), source().toString(), "-ldl")
                .redirectErrorStream(true).start();
        try {
            String log = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!gcc.waitFor(60, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
                throw new IOException("gcc failed to build the NVML stub from " + source() + ":\n" + log);
            }
        } finally {
            gcc.destroyForcibly();
        }
        compiled = out;
        return out;
    }

    /** A copy of the stub in {@code dir} that behaves as {@code config} says (written to its .env file). */
    public static Path configured(Path dir, Map<String, String> config) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path lib = dir.resolve("libnvidia-ml.so.1");
        Files.copy(compiled(), lib, StandardCopyOption.REPLACE_EXISTING);
        StringBuilder env = new StringBuilder();
        config.forEach((k, v) -> env.append(k).append('=').append(v).append('\n'));
        Files.writeString(dir.resolve("libnvidia-ml.so.1.env"), env);
        return lib;
    }
}
