package dev.researchmon.sidecar;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.researchmon.report.SidecarEndpoints;
import dev.researchmon.report.TokenFile;
import dev.researchmon.sidecar.testing.Http;
import dev.researchmon.sidecar.testing.ReportingKernel;
import dev.researchmon.testkit.FreePort;
import dev.researchmon.testkit.ManagedProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sidecar and kernels as separate processes: a kernel killed with SIGKILL leaves /metrics on
 * its own, and a sidecar restarted (even with a new token) gets running kernels back on their own.
 */
class KernelLifecycleIT {
    private static final String JAR = System.getProperty("sidecar.jar", "target/metrics-sidecar.jar");

    @TempDir
    Path tmp;

    private ManagedProcess startSidecar(int port) throws Exception {
        // A log folder per start: a restarted sidecar must not be taken as ready on its predecessor's line.
        ManagedProcess sidecar = ManagedProcess.start(
                "sidecar",
                List.of(
                        ManagedProcess.javaBinary(),
                        "-Xmx128m",
                        "-XX:+UseSerialGC",
                        "-jar",
                        JAR,
                        "--port",
                        Integer.toString(port),
                        "--no-collector.gpu",
                        "--no-collector.jvm",
                        "--scrape-interval",
                        "1"),
                Map.of(SidecarEndpoints.HOME_ENV, tmp.toString()),
                Files.createTempDirectory(Files.createDirectories(tmp.resolve("logs")), "sidecar-"));
        sidecar.awaitLine(Pattern.compile("metrics-sidecar listening on.*"), Duration.ofSeconds(30));
        return sidecar;
    }

    /** A kernel stand-in: {@link ReportingKernel} on this test JVM's class path. */
    private ManagedProcess startKernel(String kernelId, int port) throws Exception {
        return ManagedProcess.start(
                kernelId,
                List.of(
                        ManagedProcess.javaBinary(),
                        "-Xmx64m",
                        "-XX:+UseSerialGC",
                        "-cp",
                        System.getProperty("java.class.path"),
                        ReportingKernel.class.getName(),
                        kernelId,
                        kernelId + ".ipynb",
                        "300"),
                Map.of(
                        SidecarEndpoints.HOME_ENV,
                        tmp.toString(),
                        SidecarEndpoints.SIDECAR_URL_ENV,
                        "http://127.0.0.1:" + port),
                tmp.resolve("logs"));
    }

    private static boolean shows(String metrics, String kernelId) {
        return metrics.contains("notebook_cells_executed_total{kernel_id=\"" + kernelId + "\"");
    }

    @Test
    void kernelKilledWithSigkill_disappearsFromMetrics() throws Exception {
        int port = FreePort.loopback();
        try (ManagedProcess sidecar = startSidecar(port);
                ManagedProcess doomed = startKernel("k-doomed", port);
                ManagedProcess survivor = startKernel("k-survivor", port)) {
            Http.awaitMetrics(port, m -> shows(m, "k-doomed") && shows(m, "k-survivor"), Duration.ofSeconds(30));
            doomed.kill();
            // The eviction timer finds its pid gone and, once the 1 s scrape interval (plus margin) has
            // passed, forgets it: far sooner than the 30 s TTL.
            String after = Http.awaitMetrics(port, m -> !shows(m, "k-doomed"), Duration.ofSeconds(15));
            assertTrue(shows(after, "k-survivor"), after);
            assertTrue(after.contains("sidecar_kernels 1.0"), after);
        }
    }

    @Test
    void killedKernel_staysForAScrapeInterval_howeverOftenOthersRead() throws Exception {
        int port = FreePort.loopback();
        try (ManagedProcess sidecar = startSidecar(port);
                ManagedProcess doomed = startKernel("k-read-often", port)) {
            Http.awaitMetrics(port, m -> shows(m, "k-read-often"), Duration.ofSeconds(30));
            doomed.kill();
            long killedAt = System.nanoTime();
            // A busy second reader (a %gpu loop, a curl): every scrape within the interval still shows it.
            while (System.nanoTime() - killedAt < Duration.ofMillis(900).toNanos()) {
                String m = Http.metrics(port);
                assertTrue(shows(m, "k-read-often"), "gone within the scrape interval: " + m);
            }
            Http.awaitMetrics(port, m -> !shows(m, "k-read-often"), Duration.ofSeconds(15));
        }
    }

    @Test
    void sidecarRestartedWithANewToken_getsRunningKernelsBack() throws Exception {
        int port = FreePort.loopback();
        Path tokenFile = tmp.resolve(SidecarEndpoints.TOKEN_FILE_NAME);
        try (ManagedProcess kernel = startKernel("k-loyal", port)) {
            String firstToken;
            try (ManagedProcess sidecar = startSidecar(port)) {
                Http.awaitMetrics(port, m -> shows(m, "k-loyal"), Duration.ofSeconds(30));
                firstToken = TokenFile.read(tokenFile);
            }
            // The state dir was wiped: the next sidecar makes a new token the kernel has not seen.
            Files.delete(tokenFile);
            try (ManagedProcess sidecar = startSidecar(port)) {
                String back = Http.awaitMetrics(port, m -> shows(m, "k-loyal"), Duration.ofSeconds(10));
                assertTrue(back.contains("sidecar_report_requests_total{outcome=\"accepted\"}"), back);
                assertNotEquals(firstToken, TokenFile.read(tokenFile));
                assertTrue(kernel.isAlive(), kernel.output());
            }
        }
    }
}
