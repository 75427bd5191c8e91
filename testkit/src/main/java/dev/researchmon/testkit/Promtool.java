package dev.researchmon.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code promtool check metrics}: Prometheus's own lint of an exposition (names, units,
 * help text, types), the check every scrape the project serves must pass.
 *
 * <pre>{@code
 * Promtool.Verdict v = Promtool.checkMetrics(scrape);
 * assertTrue(v.accepted(), v.output());
 * }</pre>
 */
public final class Promtool {
    /** Its exit status and what it printed (the problems found, one a line). */
    public record Verdict(int exitCode, String output) {
        public boolean accepted() {
            return exitCode == 0;
        }
    }

    private Promtool() {}

    public static Verdict checkMetrics(String exposition) throws IOException, InterruptedException {
        Process promtool = new ProcessBuilder("promtool", "check", "metrics")
                .redirectErrorStream(true)
                .start();
        try {
            promtool.getOutputStream().write(exposition.getBytes(StandardCharsets.UTF_8));
            promtool.getOutputStream().close();
            String out = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!promtool.waitFor(30, TimeUnit.SECONDS)) {
                throw new IOException("promtool check metrics did not finish in 30 s");
            }
            return new Verdict(promtool.exitValue(), out);
        } finally {
            promtool.destroyForcibly();
        }
    }
}
