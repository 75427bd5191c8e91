package dev.researchmon.manager.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.researchmon.manager.EnvironmentManager;
import dev.researchmon.manager.local.JupyterServerClient;
import dev.researchmon.testkit.FreePort;
import dev.researchmon.testkit.containers.PodmanService;
import dev.researchmon.testkit.containers.TestImages;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The stack as users run it with Docker, for real: the parts' images built here from Debian's
 * packages (Grafana and cAdvisor stay busybox stand-ins: their images cannot be had here), the
 * research image built from docker/Dockerfile as it stands, and {@code environment-manager
 * --enable-monitoring --runtime docker} on a private Podman service. A notebook opened through the
 * research container's own Jupyter server reports to the sidecar beside it, and the Prometheus
 * container scrapes that sidecar across the stack's network by its compose name.
 *
 * <p>Images come from the machine's shared store ({@link TestImages}): built once per run (the
 * research image takes minutes), found again by every later container test.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerisedStackIT {
    static final List<String> PARTS =
            List.of("prometheus", "alertmanager", "grafana", "node-exporter", "cadvisor", "jupyter", "sidecar");
    static final String RESEARCH = "research-monitor-research";
    static final String NOTEBOOK = "containerised it.ipynb";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static PodmanService podman;
    static Path state;
    static final Map<String, Integer> ports = new LinkedHashMap<>();

    record Result(int code, String out, String err) {}

    @BeforeAll
    static void buildImagesAndStartPodman() throws Exception {
        podman = PodmanService.startShared();
        long started = System.nanoTime();
        TestImages.ensurePartImages(podman);
        TestImages.ensureResearchImage(podman);
        System.out.printf(
                "ContainerisedStackIT: images ready in %.1f s (built where their inputs changed, else found)%n",
                seconds(started));
        // the Prometheus container runs as nobody and reads its generated config from here
        state = Files.createTempDirectory(
                "containerised-stack-it-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        for (String part : PARTS) {
            ports.put(part, FreePort.loopback());
        }
    }

    @AfterAll
    static void takeDown() throws IOException {
        try {
            if (podman != null && state != null) {
                manager("--no-monitoring");
            }
        } finally {
            if (podman != null) {
                podman.close();
            }
            if (state != null) {
                try (Stream<Path> files = Files.walk(state)) {
                    files.sorted(Comparator.reverseOrder())
                            .forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    @Test
    @Order(1)
    void notebookInTheResearchContainer_isScrapedByTheContainerisedPrometheus_andOutlivesARestart() throws Exception {
        List<String> enable =
                new ArrayList<>(List.of("--enable-monitoring", "--runtime", "docker", "--scrape-interval", "2s"));
        ports.forEach((part, port) -> enable.addAll(List.of("--" + part + "-port", String.valueOf(port))));
        long started = System.nanoTime();
        Result up = manager(enable.toArray(String[]::new));
        assertEquals(0, up.code(), up.out() + up.err());
        System.out.printf(
                "ContainerisedStackIT: every part healthy %.1f s after --enable-monitoring%n", seconds(started));
        for (String part : List.of("prometheus", "alertmanager", "node-exporter", "jupyter", "sidecar")) {
            assertTrue(
                    up.out().lines().anyMatch(l -> l.startsWith(part + " ") && l.contains(" healthy ")),
                    part + " is not healthy:\n" + up.out());
        }
        // Prometheus, in its container, reaches the other containers by their compose names
        awaitQuery("up{job=\"node-exporter\",instance=\"node-exporter:9100\"} == 1", Duration.ofSeconds(60));
        awaitQuery(
                "up{job=\"research\",instance=\"research:8888\",component=\"jupyter-server\"} == 1",
                Duration.ofSeconds(60));
        awaitQuery(
                "up{job=\"research\",instance=\"research:9464\",component=\"sidecar\"} == 1", Duration.ofSeconds(60));

        String series = "containerised_it_cells_total{job=\"research\",notebook=\"" + NOTEBOOK + "\"}";
        try (JupyterServerClient notebook =
                JupyterServerClient.openNotebook(ports.get("jupyter"), jupyterToken(), NOTEBOOK, "java")) {
            JsonNode on = notebook.execute("%monitoring on", Duration.ofSeconds(120));
            assertEquals("ok", on.path("status").asText(), on.toString());
            JsonNode counter = notebook.execute("""
                    import io.prometheus.metrics.core.metrics.Counter;
                    Counter cells = Counter.builder().name("containerised_it_cells").help("cells counted by ContainerisedStackIT").register();
                    cells.inc(3);
                    """, Duration.ofSeconds(60));
            assertEquals("ok", counter.path("status").asText(), counter.toString());
            JsonNode found = awaitQuery(series + " == 3", Duration.ofSeconds(90));
            JsonNode labels = found.path("data").path("result").get(0).path("metric");
            assertEquals(notebook.kernelId(), labels.path("kernel_id").asText(), labels.toString());
            assertEquals(
                    NOTEBOOK, labels.path("notebook").asText(), "the notebook's path as its Jupyter server knows it");
            assertEquals("sidecar", labels.path("component").asText(), labels.toString());

            // the kernel, Jupyter and the sidecar all run as the image's unprivileged user
            String users = podman.podman("top", RESEARCH, "user", "args");
            List<String> processes =
                    users.lines().skip(1).filter(l -> !l.isBlank()).toList();
            assertTrue(
                    processes.stream().anyMatch(l -> l.contains("research-kernel.jar")),
                    "the kernel runs in it: " + users);
            assertTrue(
                    processes.stream().allMatch(l -> l.startsWith("researcher ")),
                    "only the researcher's processes: " + users);
        }
        Instant scraped = Instant.now();

        Result off = manager("--no-monitoring");
        assertEquals(0, off.code(), off.out() + off.err());
        assertFalse(podman.tryPodman("container", "exists", RESEARCH).ok(), "the research container is gone");
        Result status = manager("--status");
        assertEquals(3, status.code(), status.out() + status.err());
        assertTrue(
                status.out()
                        .lines()
                        .anyMatch(l -> l.startsWith("prometheus ")
                                && l.contains(" stopped ")
                                && l.contains("http://127.0.0.1:" + ports.get("prometheus") + "/-/ready")),
                "a stopped part is shown at the URL it was enabled with:\n" + status.out());

        // no flags: the remembered runtime, Docker host, ports and scrape interval
        Result again = manager("--enable-monitoring");
        assertEquals(0, again.code(), again.out() + again.err());
        assertTrue(again.out().startsWith("runtime: docker"), again.out());
        JsonNode before = query(series, scraped);
        assertEquals(
                1,
                before.path("data").path("result").size(),
                "the samples scraped before --no-monitoring are still in the volume: " + before);
        JsonNode generated = new ObjectMapper(new YAMLFactory())
                .readTree(state.resolve("docker/prometheus.yml").toFile());
        assertEquals("2s", generated.path("global").path("scrape_interval").asText(), "the remembered scrape interval");
    }

    @Test
    @Order(2)
    void researchContainer_stopsOnTerm_withinSeconds() throws Exception {
        Result up = manager("--enable-monitoring");
        assertEquals(0, up.code(), up.out() + up.err());
        long started = System.nanoTime();
        // a long grace period: had TERM been ignored, the engine would KILL only after 60 s (exit code 137)
        podman.podman("stop", "--time", "60", RESEARCH);
        double took = seconds(started);
        System.out.printf("ContainerisedStackIT: the research container stopped %.1f s after TERM%n", took);
        String exit = podman.podman("inspect", "--format", "{{.State.ExitCode}}", RESEARCH)
                .strip();
        assertEquals(
                "0",
                exit,
                "the entrypoint stops Jupyter and the sidecar on TERM and exits cleanly, "
                        + "not killed after the grace period (" + took + " s)");
    }

    private static String jupyterToken() throws Exception {
        // where a user finds it: the URL the Jupyter server prints in the container's log
        Pattern token = Pattern.compile("[?&]token=([0-9a-f]+)");
        Instant deadline = Instant.now().plusSeconds(30);
        while (true) {
            Matcher m = token.matcher(podman.podman("logs", RESEARCH));
            if (m.find()) {
                return m.group(1);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(
                        "no token in the research container's log:\n" + podman.podman("logs", RESEARCH));
            }
            Thread.sleep(500);
        }
    }

    private static JsonNode awaitQuery(String promql, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode answer;
        do {
            answer = query(promql, Instant.now());
            if (answer.path("data").path("result").size() > 0) {
                return answer;
            }
            Thread.sleep(1000);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("no result for " + promql + " within " + timeout.toSeconds() + " s: " + answer);
    }

    private static JsonNode query(String promql, Instant at) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + ports.get("prometheus") + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8) + "&time=" + at.getEpochSecond());
        return JSON.readTree(HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                .body());
    }

    static Result manager(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--timeout", "240", "--state-dir", state.toString()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = EnvironmentManager.run(
                all.toArray(String[]::new),
                Map.of("DOCKER_HOST", podman.dockerHost(), "GRAFANA_PASSWORD", "containerised-it"),
                new PrintWriter(out),
                new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
