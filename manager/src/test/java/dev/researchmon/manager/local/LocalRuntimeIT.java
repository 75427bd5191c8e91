package dev.researchmon.manager.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.researchmon.manager.EnvironmentManager;
import dev.researchmon.testkit.FreePort;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local runtime end to end with the real parts: Debian's Prometheus, node-exporter and
 * Alertmanager, Jupyter, the sidecar and the kernel, on free loopback ports in a temporary state
 * folder. Every process the manager starts for a test is stopped by the test, by pid handle.
 */
class LocalRuntimeIT {
    static final Path REPO =
            Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    static final List<String> PARTS = List.of("prometheus", "alertmanager", "node-exporter", "jupyter", "sidecar");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path state;

    private final List<String> portArgs = new ArrayList<>();
    private int prometheusPort;

    record Result(int code, String out, String err) {}

    @BeforeEach
    void choosePorts() throws IOException {
        for (String part : PARTS) {
            int port = FreePort.loopback();
            portArgs.add("--" + part + "-port");
            portArgs.add(String.valueOf(port));
            if (part.equals("prometheus")) {
                prometheusPort = port;
            }
        }
    }

    @AfterEach
    void stopEverything() {
        manager("--no-monitoring");
        // the safety net: whatever a failed assertion left running goes, by its own pid
        for (long pid : recordedPids()) {
            ProcessHandle.of(pid).ifPresent(p -> {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            });
        }
    }

    @Test
    void enableTwiceStatusDisableEnable_keepsEarlierPrometheusData() throws Exception {
        Result first = manager("--enable-monitoring");
        assertEquals(0, first.code(), first.out() + first.err());
        for (String part : PARTS) {
            assertTrue(first.out().contains(part + ": started"), part + " not started:\n" + first.out());
        }
        List<Long> pids = recordedPids();
        assertEquals(PARTS.size(), pids.size());

        Result second = manager("--enable-monitoring");
        assertEquals(0, second.code(), second.out() + second.err());
        assertFalse(second.out().contains("started"), "the second enable must change nothing:\n" + second.out());
        assertEquals(pids, recordedPids());

        Result status = manager("--status");
        assertEquals(0, status.code(), status.out());
        for (String part : PARTS) {
            assertTrue(
                    status.out()
                            .lines()
                            .anyMatch(
                                    l -> l.startsWith(part + " ") && l.contains("healthy") && !l.contains("unhealthy")),
                    part + " is not healthy:\n" + status.out());
        }
        assertTrue(
                status.out().lines().anyMatch(l -> l.startsWith("grafana ") && l.contains("not available")),
                status.out());
        Path generated = state.resolve("prometheus/prometheus.yml");
        Process promtool = new ProcessBuilder(
                        "/usr/bin/promtool", "check", "config", "--syntax-only", generated.toString())
                .redirectErrorStream(true)
                .start();
        String promtoolOut = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, promtool.waitFor(), promtoolOut);

        // both jobs the issue names must have reached Prometheus, the sidecar and Jupyter under `research`
        Instant scraped = awaitSeries("up{job=\"node-exporter\"} == 1", Duration.ofSeconds(60));
        awaitSeries("up{job=\"research\",component=\"jupyter-server\"} == 1", Duration.ofSeconds(60));
        scraped =
                later(scraped, awaitSeries("up{job=\"research\",component=\"sidecar\"} == 1", Duration.ofSeconds(60)));
        Path kernelspec = state.resolve("jupyter/data/kernels/java/kernel.json");
        assertTrue(Files.isRegularFile(kernelspec), "the research kernel is installed where this Jupyter looks");
        kernelOfTheStacksJupyter_reportsToTheStacksSidecar();

        Result off = manager("--no-monitoring");
        assertEquals(0, off.code(), off.out() + off.err());
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " still runs");
        }
        assertEquals(3, manager("--status").code(), "a stopped stack is reported as not healthy");

        Result again = manager("--enable-monitoring");
        assertEquals(0, again.code(), again.out() + again.err());
        JsonNode before = query("up{job=\"node-exporter\"}", scraped);
        assertEquals(
                1,
                before.path("data").path("result").size(),
                "the samples scraped before the restart must still be there: " + before);
        assertEquals(
                1,
                query("up{job=\"research\",component=\"sidecar\"}", scraped)
                        .path("data")
                        .path("result")
                        .size());
    }

    /** A kernel the stack's Jupyter starts finds the stack's sidecar (on its non-default port) by itself. */
    private void kernelOfTheStacksJupyter_reportsToTheStacksSidecar() throws Exception {
        String token = Files.readString(state.resolve("jupyter/token")).trim();
        int jupyterPort = Integer.parseInt(portArgs.get(portArgs.indexOf("--jupyter-port") + 1));
        int sidecarPort = Integer.parseInt(portArgs.get(portArgs.indexOf("--sidecar-port") + 1));
        try (JupyterServerClient jupyter = JupyterServerClient.startKernel(jupyterPort, token, "java")) {
            JsonNode on = jupyter.execute("%monitoring on", Duration.ofSeconds(90));
            assertEquals("ok", on.path("status").asText(), on.toString());
            JsonNode cell = jupyter.execute("int answer = 6 * 7;", Duration.ofSeconds(60));
            assertEquals("ok", cell.path("status").asText(), cell.toString());
            String series = "notebook_cells_executed_total{kernel_id=\"" + jupyter.kernelId() + "\"";
            Instant deadline = Instant.now().plusSeconds(30);
            String metrics = "";
            while (Instant.now().isBefore(deadline) && !metrics.contains(series)) {
                Thread.sleep(500);
                metrics = HTTP.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sidecarPort + "/metrics"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
            }
            assertTrue(
                    metrics.lines().anyMatch(l -> l.startsWith(series)),
                    "the stack's sidecar has no cells of kernel " + jupyter.kernelId() + ":\n" + metrics);
        }
    }

    @Test
    void portInUse_isAClearErrorAndStartsNothing() throws IOException {
        try (ServerSocket taken = FreePort.listening()) {
            int port = taken.getLocalPort();
            int i = portArgs.indexOf("--jupyter-port");
            portArgs.set(i + 1, String.valueOf(port));
            Result r = manager("--enable-monitoring");
            assertEquals(1, r.code(), r.out() + r.err());
            assertTrue(r.err().contains("port " + port + " (jupyter) is already in use"), r.err());
            assertTrue(r.err().contains("--jupyter-port"), r.err());
            assertTrue(recordedPids().isEmpty(), "nothing may start when a port is taken");
        }
    }

    @Test
    void projectSidecarOnThePort_isAdoptedAndNamed_notTakenForAnotherProgram() throws Exception {
        int sidecarPort = Integer.parseInt(portArgs.get(portArgs.indexOf("--sidecar-port") + 1));
        // as %monitoring on starts it: the launcher, with the flags every starter uses
        Process sidecar = new ProcessBuilder(
                        REPO.resolve("bin/metrics-sidecar").toString(),
                        "--port",
                        String.valueOf(sidecarPort),
                        "--bind",
                        "127.0.0.1",
                        "--no-collector.gpu")
                .redirectErrorStream(true)
                .redirectOutput(state.resolve("sidecar.log").toFile())
                .start();
        // a plain program on Jupyter's port stops enable before anything starts, after the sidecar's check
        try (ServerSocket taken = FreePort.listening()) {
            portArgs.set(portArgs.indexOf("--jupyter-port") + 1, String.valueOf(taken.getLocalPort()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (ProjectSidecar.pidOn(sidecarPort).isEmpty() && System.nanoTime() < deadline) {
                assertTrue(sidecar.isAlive(), Files.readString(state.resolve("sidecar.log")));
                Thread.sleep(200);
            }
            assertEquals(sidecar.pid(), ProjectSidecar.pidOn(sidecarPort).orElse(-1));
            Result r = manager("--enable-monitoring");
            assertEquals(1, r.code(), r.out() + r.err());
            assertTrue(
                    r.out().contains("sidecar: already running (pid " + sidecar.pid() + ", not started here"), r.out());
            assertFalse(r.err().contains("(sidecar) is already in use"), r.err());
            assertTrue(r.err().contains("(jupyter) is already in use"), r.err());
            Result status = manager("--status");
            assertTrue(status.out().contains("pid " + sidecar.pid() + ", adopted"), status.out());
        } finally {
            sidecar.destroy();
            sidecar.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void launcher_runsTheBuiltJarAndShowsStatus() throws Exception {
        List<String> command = new ArrayList<>(List.of(
                REPO.resolve("bin/environment-manager").toString(), "--status", "--state-dir", state.toString()));
        command.addAll(portArgs);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("DOCKER_HOST", "unix://" + state.resolve("no-docker.sock"));
        Process launcher = builder.start();
        try {
            String out = new String(launcher.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(launcher.waitFor(60, TimeUnit.SECONDS));
            assertEquals(3, launcher.exitValue(), out);
            assertTrue(out.contains("runtime: local"), out);
            assertTrue(
                    out.contains("prometheus     stopped        http://127.0.0.1:" + prometheusPort + "/-/ready"), out);
        } finally {
            launcher.destroy();
            if (!launcher.waitFor(5, TimeUnit.SECONDS)) {
                launcher.destroyForcibly();
            }
        }
    }

    private Result manager(String action) {
        List<String> args = new ArrayList<>(
                List.of(action, "--runtime", "local", "--state-dir", state.toString(), "--timeout", "90"));
        args.addAll(portArgs);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = EnvironmentManager.run(
                args.toArray(String[]::new), Map.of(), new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    private List<Long> recordedPids() {
        Path run = state.resolve("run");
        if (!Files.isDirectory(run)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(run)) {
            ProcessSupervisor supervisor = new ProcessSupervisor(state);
            return files.sorted()
                    .map(f -> f.getFileName().toString().replaceFirst("\\.json$", ""))
                    .map(part -> supervisor
                            .readRecord(part)
                            .map(PidRecord::pid)
                            .orElseThrow(() -> new IllegalStateException("unreadable pid record of " + part)))
                    .toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Polls an instant query until it returns a series; returns the time it was found at. */
    private Instant awaitSeries(String promql, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            Instant now = Instant.now();
            if (query(promql, now).path("data").path("result").size() > 0) {
                return now;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("no series for " + promql + " within " + timeout.toSeconds() + " s");
    }

    private JsonNode query(String promql, Instant at) throws Exception {
        String url = "http://127.0.0.1:" + prometheusPort + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8) + "&time=" + at.getEpochSecond();
        HttpResponse<String> response =
                HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
