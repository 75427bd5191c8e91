package dev.researchmon.manager.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.researchmon.manager.ManagerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads the project's own docker/compose.yaml, the one description of the stack. */
class ComposeFileTest {
    static final Path REPO =
            Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    static final Path COMPOSE = REPO.resolve("docker/compose.yaml");

    @Test
    void projectCompose_describesEveryPartOfTheStack() {
        StackDescription stack = ComposeFile.load(COMPOSE, Map.of(), false);
        assertEquals(
                List.of("prometheus", "alertmanager", "grafana", "node-exporter", "cadvisor", "research"),
                stack.services().stream().map(ServiceSpec::name).toList());
        assertEquals("research-monitor", stack.network());
        assertEquals("research-monitor", stack.networkLabels().get(StackDescription.STACK_LABEL));
        for (ServiceSpec service : stack.services()) {
            assertEquals("research-monitor", service.labels().get(StackDescription.STACK_LABEL), service.name());
            assertFalse(service.health().isEmpty(), service.name() + " has no x-health");
            service.health()
                    .forEach(h -> assertTrue(
                            service.published(h.containerPort()).isPresent(),
                            service.name() + " does not publish its health port " + h.containerPort()));
        }
        stack.volumes()
                .values()
                .forEach(labels -> assertEquals("research-monitor", labels.get(StackDescription.STACK_LABEL)));
    }

    @Test
    void prometheus_keepsFifteenDaysInANamedVolume() {
        ServiceSpec prometheus = ComposeFile.load(COMPOSE, Map.of(), false).service("prometheus");
        assertEquals("15d", prometheus.flag("--storage.tsdb.retention.time").orElseThrow());
        Mount data = prometheus.mounts().stream()
                .filter(m -> m.target().equals("/prometheus"))
                .findFirst()
                .orElseThrow();
        assertEquals(new Mount(Mount.Kind.VOLUME, "research-monitor-prometheus-data", "/prometheus", false), data);
        Mount config = prometheus.mounts().stream()
                .filter(m -> m.target().equals("/etc/prometheus"))
                .findFirst()
                .orElseThrow();
        assertEquals(REPO.resolve("monitoring/prometheus").toString(), config.source());
        assertTrue(config.readOnly());
    }

    @Test
    void portVariables_moveThePublishedPortsOnly() {
        StackDescription stack =
                ComposeFile.load(COMPOSE, Map.of("PROMETHEUS_PORT", "19090", "JUPYTER_PORT", "18888"), false);
        assertEquals(
                new PortBinding("127.0.0.1", 19090, 9090, "tcp"),
                stack.service("prometheus").published(9090).orElseThrow());
        assertEquals(
                18888, stack.service("research").published(8888).orElseThrow().hostPort());
        assertEquals(
                9464, stack.service("research").published(9464).orElseThrow().hostPort());
    }

    @Test
    void grafanaCredentials_comeFromTheEnvironmentWithAdminDefault() {
        assertEquals(
                "admin",
                ComposeFile.load(COMPOSE, Map.of(), false)
                        .service("grafana")
                        .environment()
                        .get("GF_SECURITY_ADMIN_PASSWORD"));
        ServiceSpec grafana = ComposeFile.load(
                        COMPOSE, Map.of("GRAFANA_USER", "ops", "GRAFANA_PASSWORD", "s3cret"), false)
                .service("grafana");
        assertEquals("ops", grafana.environment().get("GF_SECURITY_ADMIN_USER"));
        assertEquals("s3cret", grafana.environment().get("GF_SECURITY_ADMIN_PASSWORD"));
    }

    @Test
    void gpuOverride_appliesToResearchOnlyWhenAskedFor() {
        assertFalse(
                ComposeFile.load(COMPOSE, Map.of(), false).service("research").gpus());
        StackDescription withGpus = ComposeFile.load(COMPOSE, Map.of(), true);
        assertTrue(withGpus.service("research").gpus());
        assertFalse(withGpus.service("prometheus").gpus());
    }

    @Test
    void researchImage_isBuiltFromTheProjectDockerfile() {
        ServiceSpec research = ComposeFile.load(COMPOSE, Map.of(), false).service("research");
        assertEquals(REPO.resolve("docker/Dockerfile").toString(), research.dockerfile());
        assertEquals(
                null,
                ComposeFile.load(COMPOSE, Map.of(), false).service("prometheus").dockerfile());
    }

    @Test
    void portThatIsNotANumber_isAClearError(@TempDir Path dir) throws IOException {
        Path file = write(dir, "services:\n  a:\n    image: x\n    ports: [\"127.0.0.1:${P:-notaport}:80\"]\n");
        ManagerException e = assertThrows(ManagerException.class, () -> ComposeFile.load(file, Map.of(), false));
        assertTrue(e.getMessage().contains("services.a.ports"), e.getMessage());
        ManagerException outOfRange =
                assertThrows(ManagerException.class, () -> ComposeFile.load(file, Map.of("P", "70000"), false));
        assertTrue(outOfRange.getMessage().contains("1..65535"), outOfRange.getMessage());
    }

    @Test
    void undeclaredNamedVolume_isAClearError(@TempDir Path dir) throws IOException {
        Path file = write(dir, "services:\n  a:\n    image: x\n    volumes: [\"data:/data\"]\n");
        ManagerException e = assertThrows(ManagerException.class, () -> ComposeFile.load(file, Map.of(), false));
        assertTrue(e.getMessage().contains("volume 'data'"), e.getMessage());
    }

    @Test
    void serviceWithoutImage_andFileWithoutServices_areClearErrors(@TempDir Path dir) throws IOException {
        Path noImage = write(dir, "services:\n  a:\n    ports: [\"1:1\"]\n");
        assertTrue(assertThrows(ManagerException.class, () -> ComposeFile.load(noImage, Map.of(), false))
                .getMessage()
                .contains("services.a has no image"));
        Path noServices = write(dir, "name: x\n");
        assertTrue(assertThrows(ManagerException.class, () -> ComposeFile.load(noServices, Map.of(), false))
                .getMessage()
                .contains("declares no services"));
    }

    private static Path write(Path dir, String yaml) throws IOException {
        return Files.writeString(dir.resolve("compose.yaml"), yaml);
    }
}
