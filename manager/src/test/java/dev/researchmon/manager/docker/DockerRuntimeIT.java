package dev.researchmon.manager.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import dev.researchmon.manager.EnvironmentManager;
import dev.researchmon.manager.stack.ComposeFile;
import dev.researchmon.manager.stack.ServiceSpec;
import dev.researchmon.manager.stack.StackDescription;
import dev.researchmon.testkit.FreePort;
import dev.researchmon.testkit.containers.PodmanService;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Docker runtime against a real Docker-API daemon (Podman's service), driven by the project's
 * own docker/compose.yaml, every image replaced by an imported busybox stand-in of the same name.
 */
class DockerRuntimeIT {
    static final Path REPO =
            Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    static final Path COMPOSE = REPO.resolve("docker/compose.yaml");
    static final Map<String, String> OURS = Map.of(StackDescription.STACK_LABEL, "research-monitor");

    static final Path STATE = createState();
    static PodmanService podman;
    static DockerClient docker;
    /** The manager's state folder (stack.json): the test's own, never the user's. */
    @TempDir
    static Path state;

    static StackDescription stack;

    final List<String> portArgs = new ArrayList<>();

    @TempDir
    Path temp;

    record Result(int code, String out, String err) {}

    @BeforeAll
    static void startPodman() throws Exception {
        podman = PodmanService.start();
        stack = ComposeFile.load(COMPOSE, Map.of(), false);
        for (ServiceSpec service : stack.services()) {
            podman.importStandIn(service.image());
        }
        docker = DockerConnection.open(podman.dockerHost());
        // something of someone else's, which the manager must leave alone
        podman.podman(
                "create",
                "--name",
                "bystander",
                "--label",
                "owner=someone-else",
                stack.service("prometheus").image());
    }

    @AfterAll
    static void stopPodman() throws Exception {
        try {
            if (docker != null) {
                manager(List.of(), "--no-monitoring");
                docker.close();
            }
        } finally {
            if (podman != null) {
                podman.close();
            }
        }
    }

    private static Path createState() {
        try {
            return Files.createTempDirectory("docker-runtime-it-");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    DockerRuntimeIT() throws IOException {
        for (String part :
                List.of("prometheus", "alertmanager", "grafana", "node-exporter", "cadvisor", "jupyter", "sidecar")) {
            portArgs.add("--" + part + "-port");
            portArgs.add(String.valueOf(FreePort.loopback()));
        }
    }

    @AfterEach
    void takeDown() {
        manager(portArgs, "--no-monitoring");
    }

    @Test
    void enable_createsLabelledStackFromCompose_thenStatusDisableKeepVolumes() throws Exception {
        Result up = manager(portArgs, "--enable-monitoring", "--runtime", "docker");
        assertEquals(0, up.code(), up.out() + up.err());
        assertTrue(
                up.err().contains("default password 'admin'"),
                "default Grafana password must be warned about: " + up.err());

        List<Container> ours = docker.listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(OURS)
                .exec();
        assertEquals(
                stack.services().stream()
                        .map(ServiceSpec::containerName)
                        .collect(Collectors.toCollection(TreeSet::new)),
                names(ours));
        ours.forEach(c -> assertEquals("running", c.getState(), c.getNames()[0]));
        Network network =
                docker.inspectNetworkCmd().withNetworkId("research-monitor").exec();
        assertEquals("research-monitor", network.getLabels().get(StackDescription.STACK_LABEL));
        for (String volume : stack.volumes().keySet()) {
            assertEquals(
                    "research-monitor",
                    docker.inspectVolumeCmd(volume).exec().getLabels().get(StackDescription.STACK_LABEL));
        }
        String retention =
                docker.inspectContainerCmd("research-monitor-prometheus").exec().getArgs().length > 0
                        ? String.join(
                                " ",
                                docker.inspectContainerCmd("research-monitor-prometheus")
                                        .exec()
                                        .getArgs())
                        : "";
        assertTrue(retention.contains("--storage.tsdb.retention.time=15d"), retention);

        Result status = manager(portArgs, "--status", "--runtime", "docker");
        assertEquals(0, status.code(), status.out() + status.err());
        for (String part :
                List.of("prometheus", "alertmanager", "grafana", "node-exporter", "cadvisor", "jupyter", "sidecar")) {
            assertTrue(
                    status.out().lines().anyMatch(l -> l.startsWith(part + " ") && l.contains(" healthy ")),
                    part + " not healthy:\n" + status.out());
        }

        Result again = manager(portArgs, "--enable-monitoring", "--runtime", "docker");
        assertEquals(0, again.code(), again.out() + again.err());
        assertFalse(again.out().contains("created"), "a second enable must create nothing:\n" + again.out());
        assertEquals(
                ids(ours),
                ids(docker.listContainersCmd()
                        .withShowAll(true)
                        .withLabelFilter(OURS)
                        .exec()));

        Result down = manager(portArgs, "--no-monitoring", "--runtime", "docker");
        assertEquals(0, down.code(), down.out() + down.err());
        assertTrue(docker.listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(OURS)
                .exec()
                .isEmpty());
        for (String volume : stack.volumes().keySet()) {
            docker.inspectVolumeCmd(volume).exec(); // still there: nothing collected is lost
        }
        assertTrue(docker.listNetworksCmd().withNameFilter("research-monitor").exec().stream()
                .noneMatch(n -> n.getName().equals("research-monitor")));
        assertEquals(
                Set.of("bystander"),
                names(docker.listContainersCmd().withShowAll(true).exec()),
                "what is not the manager's stays");

        Result downAgain = manager(portArgs, "--no-monitoring", "--runtime", "docker");
        assertEquals(0, downAgain.code(), downAgain.err());
        assertTrue(downAgain.out().contains("nothing of research-monitor is running"), downAgain.out());
        assertEquals(3, manager(portArgs, "--status", "--runtime", "docker").code());
    }

    @Test
    void autoRuntime_choosesDockerWhereADockerApiAnswers() {
        Result r = manager(portArgs, "--status");
        assertTrue(r.out().startsWith("runtime: docker"), r.out() + r.err());
    }

    @Test
    void missingImage_isAClearErrorNamingIt_andCreatesNothing() throws IOException {
        // a registry on a closed loopback port: the pull fails at once and no traffic leaves the machine
        String absent = "127.0.0.1:1/prom/prometheus:v0.0.0-absent";
        Path compose = temp.resolve("compose.yaml");
        Files.writeString(compose, Files.readString(COMPOSE).replace("prom/prometheus:v2.53.2", absent));
        List<String> args = new ArrayList<>(portArgs);
        args.addAll(List.of("--compose-file", compose.toString()));
        Result r = manager(args, "--enable-monitoring", "--runtime", "docker");
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(
                r.err().contains("image " + absent + " (service prometheus) is not present and could not be pulled"),
                r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertTrue(docker.listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(OURS)
                .exec()
                .isEmpty());
    }

    @Test
    void missingResearchImage_tellsHowToBuildIt() throws Exception {
        String image = stack.service("research").image();
        podman.podman("rmi", image);
        try {
            Result r = manager(portArgs, "--enable-monitoring", "--runtime", "docker");
            assertEquals(1, r.code(), r.out() + r.err());
            assertTrue(
                    r.err().contains("image " + image + " (service research) is not present; build it first"), r.err());
            assertTrue(r.err().contains("build research"), r.err());
        } finally {
            podman.importStandIn(image);
        }
    }

    @Test
    void portInUse_isAClearErrorNamingTheOption() throws IOException {
        try (ServerSocket taken = FreePort.listening()) {
            int i = portArgs.indexOf("--grafana-port");
            portArgs.set(i + 1, String.valueOf(taken.getLocalPort()));
            Result r = manager(portArgs, "--enable-monitoring", "--runtime", "docker");
            assertEquals(1, r.code(), r.out() + r.err());
            assertTrue(r.err().contains("port " + taken.getLocalPort() + " (grafana) is already in use"), r.err());
            assertTrue(r.err().contains("--grafana-port"), r.err());
        }
    }

    @Test
    void centralRole_runsVictoriaMetricsAndGrafana_asAStackOfItsOwn() throws Exception {
        // only the images are wanted here: the secrets the file asks for are any values
        StackDescription central = ComposeFile.load(
                REPO.resolve("docker/compose.central.yaml"),
                Map.of("STORE_PASSWORD", "any", "STORE_ADMIN_KEY", "any"),
                false);
        for (ServiceSpec service : central.services()) {
            podman.importStandIn(service.image());
        }
        List<String> args = List.of(
                "--role",
                "central",
                "--runtime",
                "docker",
                "--store-bind",
                "127.0.0.1",
                "--store-port",
                String.valueOf(FreePort.loopback()),
                "--grafana-port",
                String.valueOf(FreePort.loopback()));
        Map<String, String> centralLabel = Map.of(StackDescription.STACK_LABEL, "research-monitor-central");
        try {
            Result up = manager(args, "--enable-monitoring");
            assertEquals(0, up.code(), up.out() + up.err());
            assertEquals(
                    Set.of("research-monitor-central-victoria-metrics", "research-monitor-central-grafana"),
                    names(docker.listContainersCmd()
                            .withLabelFilter(centralLabel)
                            .exec()));
            assertTrue(
                    up.out().lines().anyMatch(l -> l.startsWith("victoria-metrics ") && l.contains(" healthy ")),
                    up.out());

            Result down = manager(args, "--no-monitoring");
            assertEquals(0, down.code(), down.out() + down.err());
            assertTrue(docker.listContainersCmd()
                    .withShowAll(true)
                    .withLabelFilter(centralLabel)
                    .exec()
                    .isEmpty());
            docker.inspectVolumeCmd("research-monitor-central-victoria-metrics-data")
                    .exec(); // the store's data stays
        } finally {
            manager(args, "--no-monitoring"); // the other tests count containers
        }
    }

    static Result manager(List<String> extra, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(extra);
        all.addAll(List.of("--timeout", "60", "--state-dir", state.toString()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // the generated Prometheus config goes to a folder of this test, not the user's home
        int code = EnvironmentManager.run(
                all.toArray(String[]::new),
                Map.of("DOCKER_HOST", podman.dockerHost(), "RESEARCH_MONITOR_STATE", STATE.toString()),
                new PrintWriter(out),
                new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    private static Set<String> names(List<Container> containers) {
        return containers.stream()
                .map(c -> c.getNames()[0].replaceFirst("^/", ""))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> ids(List<Container> containers) {
        return containers.stream().map(Container::getId).collect(Collectors.toSet());
    }
}
