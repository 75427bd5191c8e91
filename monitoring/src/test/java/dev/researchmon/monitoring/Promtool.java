package dev.researchmon.monitoring;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's {@code promtool} (prometheus 2.42) and captures what it says.
 *
 * <pre>{@code
 * Promtool.Result r = Promtool.run(dir, "check", "config", "prometheus.yml");
 * assertEquals(0, r.exitCode(), r.output());
 * }</pre>
 */
final class Promtool {
    static final Path BINARY = Path.of("/usr/bin/promtool");
    private static final long TIMEOUT_SECONDS = 60;

    /** promtool's exit status and its stdout and stderr together. */
    record Result(int exitCode, String output) {}

    private Promtool() {}

    /** Runs promtool with {@code args} in {@code workingDir}, killing it if it hangs. */
    static Result run(Path workingDir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(BINARY.toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .directory(workingDir.toFile())
                .redirectErrorStream(true)
                .start();
        try {
            process.getOutputStream().close();
            // promtool's output is small; reading it to the end also waits for the exit.
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException(
                        "promtool " + String.join(" ", args) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            return new Result(process.exitValue(), output);
        } finally {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
