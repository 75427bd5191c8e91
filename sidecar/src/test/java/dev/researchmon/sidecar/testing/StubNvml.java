package dev.researchmon.sidecar.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The stub {@code libnvidia-ml.so.1} (src/test/c/nvml_stub.c), compiled with gcc once per JVM, and
 * copies of it configured for one test case each (the stub reads {@code <library>.env}).
 *
 * <pre>{@code
 * Path lib = StubNvml.configured(tmp, Map.of("STUB_NVML_GPUS", "2"));
 * }</pre>
 */
public final class StubNvml {
  private static Path compiled;

  private StubNvml() {}

  /** The compiled stub under target/nvml-stub/. */
  public static synchronized Path compiled() throws IOException, InterruptedException {
    if (compiled != null) {
      return compiled;
    }
    Path source = Path.of("src/test/c/nvml_stub.c").toAbsolutePath();
    Path out = Path.of("target/nvml-stub/libnvidia-ml.so.1").toAbsolutePath();
    Files.createDirectories(out.getParent());
    Process gcc = new ProcessBuilder("gcc", "-shared", "-fPIC", "-O2", "-Wall", "-Werror",
        "-o", out.toString(), source.toString(), "-ldl")
        .redirectErrorStream(true).start();
    try {
      String log = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!gcc.waitFor(60, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
        throw new IOException("gcc failed to build the NVML stub:\n" + log);
      }
    } finally {
      gcc.destroyForcibly();
    }
    compiled = out;
    return out;
  }

  /** A copy of the stub in {@code dir} that behaves as {@code config} says. */
  public static Path configured(Path dir, Map<String, String> config)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path lib = dir.resolve("libnvidia-ml.so.1");
    Files.copy(compiled(), lib, StandardCopyOption.REPLACE_EXISTING);
    StringBuilder env = new StringBuilder();
    config.forEach((k, v) -> env.append(k).append('=').append(v).append('\n'));
    Files.writeString(dir.resolve("libnvidia-ml.so.1.env"), env);
    return lib;
  }
}
