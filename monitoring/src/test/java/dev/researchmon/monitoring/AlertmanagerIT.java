package dev.researchmon.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.researchmon.testkit.FreePort;
import dev.researchmon.testkit.ManagedProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Alertmanager configuration: amtool accepts it, and a live Alertmanager applies its inhibitions. */
class AlertmanagerIT {
    private static final Path CONFIG = MonitoringFiles.root().resolve("alertmanager/alertmanager.yml");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void config_passesAmtoolCheckConfig() throws Exception {
        Process amtool = new ProcessBuilder("/usr/bin/amtool", "check-config", CONFIG.toString())
                .redirectErrorStream(true)
                .start();
        try {
            String output = new String(amtool.getInputStream().readAllBytes());
            assertEquals(0, amtool.waitFor(), output);
            assertTrue(output.contains("SUCCESS"), output);
        } finally {
            amtool.destroyForcibly();
        }
    }

    @Test
    void criticalGpuTemperature_suppressesTheWarningForTheSameGpuOnly(@TempDir Path work) throws Exception {
        int port = FreePort.loopback();
        try (ManagedProcess alertmanager = ManagedProcess.start(
                "alertmanager",
                List.of(
                        "/usr/bin/prometheus-alertmanager",
                        "--config.file=" + CONFIG,
                        "--storage.path=" + work.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port,
                        "--cluster.listen-address="),
                Map.of(),
                Files.createDirectories(work.resolve("logs")))) {
            URI base = URI.create("http://127.0.0.1:" + port);
            awaitReady(base, alertmanager);
            post(base, """
                    [
                      {"labels": {"alertname": "GpuTemperatureCritical", "severity": "critical", "instance": "research:9464", "gpu": "0"}},
                      {"labels": {"alertname": "GpuTemperatureHigh", "severity": "warning", "instance": "research:9464", "gpu": "0"}},
                      {"labels": {"alertname": "GpuTemperatureHigh", "severity": "warning", "instance": "research:9464", "gpu": "1"}}
                    ]""");
            Map<String, String> states = Map.of(
                    "GpuTemperatureCritical/0", "active",
                    "GpuTemperatureHigh/0", "suppressed",
                    "GpuTemperatureHigh/1", "active");
            for (Map.Entry<String, String> expected : states.entrySet()) {
                assertEquals(
                        expected.getValue(),
                        stateOf(base, expected.getKey()),
                        expected.getKey() + "\n" + alertmanager.logTail(20));
            }
        }
    }

    private String stateOf(URI base, String alertAndGpu) throws Exception {
        JsonNode alerts = JSON.readTree(get(base.resolve("/api/v2/alerts")));
        for (JsonNode alert : alerts) {
            String key = alert.path("labels").path("alertname").asText() + "/"
                    + alert.path("labels").path("gpu").asText();
            if (key.equals(alertAndGpu)) {
                return alert.path("status").path("state").asText();
            }
        }
        return "missing from " + alerts;
    }

    private void awaitReady(URI base, ManagedProcess alertmanager) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        while (true) {
            try {
                if (http.send(
                                        HttpRequest.newBuilder(base.resolve("/-/ready"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            if (!alertmanager.isAlive() || Instant.now().isAfter(deadline)) {
                fail("Alertmanager did not become ready\n" + alertmanager.logTail(30));
            }
            Thread.sleep(200);
        }
    }

    private void post(URI base, String alerts) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(base.resolve("/api/v2/alerts"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(alerts))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
    }

    private String get(URI uri) throws Exception {
        HttpResponse<String> response =
                http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertNotEquals(500, response.statusCode(), response.body());
        return response.body();
    }
}
