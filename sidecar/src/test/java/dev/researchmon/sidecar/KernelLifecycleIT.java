package dev.researchmon.sidecar;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.researchmon.report.SidecarEndpoints;
import dev.researchmon.report.TokenFile;
import dev.researchmon.sidecar.testing.ChildProcess;
import dev.researchmon.sidecar.testing.Http;
import dev.researchmon.sidecar.testing.ReportingKernel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sidecar and kernels as separate processes: a kernel killed with SIGKILL leaves /metrics on
 * its own, and a sidecar restarted (even with a new token) gets running kernels back on their own.
 */
class KernelLifecycleIT {
  private static final String JAR = System.getProperty("sidecar.jar", "target/metrics-sidecar.jar");
  @TempDir Path tmp;

  private ChildProcess startSidecar(int port) throws Exception {
    ChildProcess sidecar = ChildProcess.javaJar(JAR, List.of("--port", Integer.toString(port),
        "--no-collector.gpu", "--no-collector.jvm"), Map.of(SidecarEndpoints.HOME_ENV, tmp.toString()));
    sidecar.awaitLine(l -> l.startsWith("metrics-sidecar listening on"), Duration.ofSeconds(30));
    return sidecar;
  }

  private ChildProcess startKernel(String kernelId, int port) throws Exception {
    return ChildProcess.java(ReportingKernel.class.getName(), List.of(kernelId, kernelId + ".ipynb", "300"),
        Map.of(SidecarEndpoints.HOME_ENV, tmp.toString(),
            SidecarEndpoints.SIDECAR_URL_ENV, "http://127.0.0.1:" + port));
  }

  private static boolean shows(String metrics, String kernelId) {
    return metrics.contains("notebook_cells_executed_total{kernel_id=\"" + kernelId + "\"");
  }

  @Test
  void kernelKilledWithSigkill_disappearsFromMetrics() throws Exception {
    int port = Http.freePort();
    try (ChildProcess sidecar = startSidecar(port);
         ChildProcess doomed = startKernel("k-doomed", port);
         ChildProcess survivor = startKernel("k-survivor", port)) {
      Http.awaitMetrics(port, m -> shows(m, "k-doomed") && shows(m, "k-survivor"), Duration.ofSeconds(30));
      doomed.kill();
      // The pid check at scrape time forgets it; far sooner than the 30 s TTL.
      String after = Http.awaitMetrics(port, m -> !shows(m, "k-doomed"), Duration.ofSeconds(5));
      assertTrue(shows(after, "k-survivor"), after);
      assertTrue(after.contains("sidecar_kernels 1.0"), after);
    }
  }

  @Test
  void sidecarRestartedWithANewToken_getsRunningKernelsBack() throws Exception {
    int port = Http.freePort();
    Path tokenFile = tmp.resolve(SidecarEndpoints.TOKEN_FILE_NAME);
    try (ChildProcess kernel = startKernel("k-loyal", port)) {
      String firstToken;
      try (ChildProcess sidecar = startSidecar(port)) {
        Http.awaitMetrics(port, m -> shows(m, "k-loyal"), Duration.ofSeconds(30));
        firstToken = TokenFile.read(tokenFile);
      }
      // The state dir was wiped: the next sidecar makes a new token the kernel has not seen.
      Files.delete(tokenFile);
      try (ChildProcess sidecar = startSidecar(port)) {
        String back = Http.awaitMetrics(port, m -> shows(m, "k-loyal"), Duration.ofSeconds(10));
        assertTrue(back.contains("sidecar_report_requests_total{outcome=\"accepted\"}"), back);
        assertNotEquals(firstToken, TokenFile.read(tokenFile));
        assertTrue(kernel.process().isAlive(), kernel.output());
      }
    }
  }
}
