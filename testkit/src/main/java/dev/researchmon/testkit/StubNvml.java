package dev.researchmon.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
 * Path oldDriver = StubNvml.configured(dir, Map.of(), StubNvml.Build.WITHOUT_GPM);
 * }</pre>
 */
public final class StubNvml {
    /** Which library to build: today's driver, or one from before a feature existed. */
    public enum Build {
        CURRENT("current"),
        /** A driver older than R520: no {@code nvmlGpm*} symbols at all. */
        WITHOUT_GPM("no-gpm", "-DSTUB_NVML_NO_GPM");

        private final String folder;
        private final List<String> defines;

        Build(String folder, String... defines) {
            this.folder = folder;
            this.defines = List.of(defines);
        }
    }

    private static final Map<Build, Path> COMPILED = new HashMap<>();

    private StubNvml() {}

    /**
     * The C source in this checkout: under {@code repo.root} (set by the poms' failsafe
     * configuration), else {@code ..} as tests run in their module's folder.
     */
    public static Path source() {
        return Path.of(System.getProperty("repo.root", ".."), "sidecar/src/test/c/nvml_stub.c")
                .toAbsolutePath()
                .normalize();
    }

    /** The compiled stub; built on first use, with warnings as errors so the stub stays honest C. */
    public static Path compiled() throws IOException, InterruptedException {
        return compiled(Build.CURRENT);
    }

    /** The stub built as {@code build} says, once per test JVM. */
    public static synchronized Path compiled(Build build) throws IOException, InterruptedException {
        Path done = COMPILED.get(build);
        if (done != null) {
            return done;
        }
        Path out = Path.of(
                        build == Build.CURRENT ? "target/nvml-stub" : "target/nvml-stub-" + build.folder,
                        "libnvidia-ml.so.1")
                .toAbsolutePath();
        Files.createDirectories(out.getParent());
        List<String> command = new ArrayList<>(List.of("gcc", "-shared", "-fPIC", "-O2", "-Wall", "-Werror"));
        command.addAll(build.defines);
        command.addAll(List.of("-o", out.toString(), source().toString(), "-ldl"));
        Process gcc = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String log = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!gcc.waitFor(60, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
                throw new IOException("gcc failed to build the NVML stub from " + source() + ":\n" + log);
            }
        } finally {
            gcc.destroyForcibly();
        }
        COMPILED.put(build, out);
        return out;
    }

    /** A copy of the stub in {@code dir} that behaves as {@code config} says (written to its .env file). */
    public static Path configured(Path dir, Map<String, String> config) throws IOException, InterruptedException {
        return configured(dir, config, Build.CURRENT);
    }

    /** As {@link #configured(Path, Map)}, from the stub built as {@code build} says. */
    public static Path configured(Path dir, Map<String, String> config, Build build)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path lib = dir.resolve("libnvidia-ml.so.1");
        Files.copy(compiled(build), lib, StandardCopyOption.REPLACE_EXISTING);
        StringBuilder env = new StringBuilder();
        config.forEach((k, v) -> env.append(k).append('=').append(v).append('\n'));
        Files.writeString(dir.resolve("libnvidia-ml.so.1.env"), env);
        return lib;
    }
}
