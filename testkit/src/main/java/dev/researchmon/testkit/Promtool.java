package dev.researchmon.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's {@code promtool} (prometheus 2.42) and captures what it says: Prometheus's own
 * checks of a configuration, rule files and their unit tests, and an exposition (names, units,
 * help text, types), which every scrape the project serves must pass.
 *
 * <pre>{@code
 * Promtool.Result r = Promtool.run(dir, "check", "config", "prometheus.yml");
 * assertEquals(0, r.exitCode(), r.output());
 * assertTrue(Promtool.checkMetrics(scrape).accepted());
 * }</pre>
 */
public final class Promtool {
    private static final Path BINARY = Path.of("/usr/bin/promtool");
    private static final long TIMEOUT_SECONDS = 60;

    /** promtool's exit status and its stdout and stderr together (the problems found, one a line). */
    public record Result(int exitCode, String output) {
        public boolean accepted() {
            return exitCode == 0;
        }
    }

    private Promtool() {}

    /** Runs promtool with {@code args} in {@code workingDir}, killing it if it hangs. */
    public static Result run(Path workingDir, String... args) throws IOException, InterruptedException {
        return run(workingDir, new byte[0], args);
    }

    /** {@code promtool check metrics} on an exposition, given on its standard input. */
    public static Result checkMetrics(String exposition) throws IOException, InterruptedException {
        return run(Path.of("."), exposition.getBytes(StandardCharsets.UTF_8), "check", "metrics");
    }

    private static Result run(Path workingDir, byte[] input, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(BINARY.toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .directory(workingDir.toFile())
                .redirectErrorStream(true)
                .start();
        try {
            try (var stdin = process.getOutputStream()) {
                stdin.write(input);
            }
            // promtool's output is small; reading it to the end also waits for the exit.
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IOException(
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
