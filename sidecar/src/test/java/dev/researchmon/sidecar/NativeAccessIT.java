package dev.researchmon.sidecar;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.researchmon.report.SidecarEndpoints;
import dev.researchmon.testkit.Jdks;
import dev.researchmon.testkit.ManagedProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sidecar's jar grants JNA the native access it needs to load NVML (its manifest's
 * {@code Enable-Native-Access}): on Java 25, which the research image runs, the JVM has nothing to
 * warn about at start, where it otherwise prints three lines and a later release will refuse.
 * Runs on the host's Java 25, found by testkit's {@link Jdks}; on a host without one (Debian
 * bookworm) the jupyter module's {@code JdkCoverageIT} checks the research container's sidecar,
 * which runs on trixie's OpenJDK 25, for the same warning.
 */
class NativeAccessIT {
    private static final String JAR = System.getProperty("sidecar.jar", "target/metrics-sidecar.jar");

    @Test
    void onJava25_jnaLoadsWithoutARestrictedMethodWarning(@TempDir Path tmp) throws Exception {
        // the GPU collector on, with no NVML here: JNA still loads its own native part, which is what
        // the JVM would warn about
        Path java25 = Jdks.onHost(25).map(Jdks.Jdk::java).orElse(null);
        Assumptions.assumeTrue(
                java25 != null,
                "no Java 25 on this host: JdkCoverageIT (jupyter) checks the sidecar on the research container's Java 25");
        try (ManagedProcess sidecar = ManagedProcess.start(
                "sidecar-25",
                List.of(java25.toString(), "-Xmx96m", "-jar", JAR, "--port", "0", "--bind", "127.0.0.1"),
                Map.of(SidecarEndpoints.HOME_ENV, tmp.toString()),
                tmp.resolve("logs"))) {
            sidecar.awaitLine(Pattern.compile("metrics-sidecar listening on.*"), Duration.ofSeconds(60));
            sidecar.awaitLine(Pattern.compile(".*GPU collector: no GPU metrics.*"), Duration.ofSeconds(60));
            String output = sidecar.output();
            assertFalse(output.contains("restricted method"), output);
            assertFalse(output.contains("enable-native-access"), output);
        }
    }
}
