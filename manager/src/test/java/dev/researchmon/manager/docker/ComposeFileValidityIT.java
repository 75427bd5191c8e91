package dev.researchmon.manager.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * docker/compose.yaml must work for `docker compose up` on its own, not only for the manager: compose
 * itself (Debian's docker-compose, which validates against the compose schema without an engine)
 * reads it, alone and with the GPU override.
 */
class ComposeFileValidityIT {
    static final Path REPO =
            Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    static final Path COMPOSE = Path.of("/usr/bin/docker-compose");

    @Test
    void composeFile_isValidForComposeItself_aloneAndWithGpuOverride() throws Exception {
        assertTrue(Files.isExecutable(COMPOSE), "docker-compose is needed (bin/setup installs it)");
        String plain = config("compose.yaml");
        assertTrue(plain.contains("--storage.tsdb.retention.time=15d"), plain);
        assertTrue(plain.contains("GF_SECURITY_ADMIN_PASSWORD: admin"), "admin/admin unless set otherwise:\n" + plain);
        String gpu = config("compose.yaml", "compose.gpu.yaml");
        assertTrue(gpu.contains("driver: nvidia") && gpu.contains("- gpu"), gpu);
    }

    @Test
    void centralComposeFile_isValidForComposeItself() throws Exception {
        String central = config(Map.of("STORE_PASSWORD", "p", "STORE_ADMIN_KEY", "k"), 0, "compose.central.yaml");
        assertTrue(central.contains("-retentionPeriod=90d"), central);
        assertTrue(central.contains("research-monitor-central-victoria-metrics"), central);
    }

    /** Run by hand without the secrets, compose refuses, saying what to set, instead of an open store. */
    @Test
    void centralComposeFile_withoutTheStoresSecrets_isRefusedByCompose() throws Exception {
        String refused = config(Map.of(), 1, "compose.central.yaml");
        assertTrue(refused.contains("STORE_PASSWORD") || refused.contains("STORE_ADMIN_KEY"), refused);
    }

    private static String config(String... files) throws Exception {
        return config(Map.of(), 0, files);
    }

    private static String config(Map<String, String> env, int status, String... files) throws Exception {
        List<String> command = new ArrayList<>(List.of(COMPOSE.toString()));
        for (String file : files) {
            command.addAll(List.of("-f", file));
        }
        command.add("config");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(REPO.resolve("docker").toFile())
                .redirectErrorStream(true);
        builder.environment().remove("GRAFANA_PASSWORD");
        builder.environment().keySet().removeIf(k -> k.startsWith("STORE_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        try {
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS));
            assertEquals(status, process.exitValue(), out);
            return out;
        } finally {
            process.destroyForcibly();
        }
    }
}
