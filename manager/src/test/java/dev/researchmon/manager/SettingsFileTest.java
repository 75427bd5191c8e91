package dev.researchmon.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** stack.json: what is remembered of an enable, read back whole, and a bad file named, never ignored. */
class SettingsFileTest {
    @TempDir
    Path state;

    static final StackSettings.Shipping SHIPPING = new StackSettings.Shipping(
            "gpu-a",
            List.of("https://central.lab:8428/api/v1/write"),
            "/etc/research-monitor/token",
            null,
            null,
            null,
            "5s");

    @Test
    void neverEnabled_remembersNothing() {
        assertTrue(new SettingsFile(state).read().isEmpty());
    }

    @Test
    void written_isReadBackTheSame_withEveryOption() {
        StackSettings settings = new StackSettings(
                "docker",
                "unix:///run/podman/podman.sock",
                "/srv/rm/docker/compose.yaml",
                Map.of("prometheus", 19090, "jupyter", 18888),
                "lab-admin",
                SHIPPING,
                new StackSettings.Central(
                        "local",
                        null,
                        null,
                        18428,
                        "127.0.0.1",
                        "30d",
                        "lab",
                        "/etc/rm/store-password",
                        "/etc/rm/cert.pem",
                        "/etc/rm/key.pem"));
        SettingsFile file = new SettingsFile(state);
        file.write(settings);
        assertEquals(settings, file.read().orElseThrow());
        file.write(new StackSettings("local", null, "/srv/rm/docker/compose.yaml", Map.of(), null, null, null));
        assertEquals("local", file.read().orElseThrow().runtime(), "a second enable replaces the first");
        assertNull(file.read().orElseThrow().shipping());
    }

    @Test
    void fileOfAnOlderManager_withoutShipping_orWithFieldsUnknownHere_isRead() throws IOException {
        Files.writeString(state.resolve("stack.json"), """
                {"runtime": "local", "composeFile": "/srv/rm/docker/compose.yaml", "ports": {"prometheus": 19090},
                 "addedLater": true}
                """);
        StackSettings read = new SettingsFile(state).read().orElseThrow();
        assertEquals(Map.of("prometheus", 19090), read.ports());
        assertNull(read.shipping());
        assertNull(
                read.givenComposeFile(),
                "an older file named every compose file, given or not: this checkout's is used");
    }

    @Test
    void noSecret_isWritten_onlyTheFilesThatHoldThem() throws IOException {
        SettingsFile file = new SettingsFile(state);
        file.write(new StackSettings(
                "local",
                null,
                "/c.yaml",
                Map.of(),
                "admin",
                new StackSettings.Shipping(
                        null,
                        List.of("https://c/api/v1/write"),
                        null,
                        "host-a",
                        "/etc/rm/password",
                        "/etc/rm/ca.pem",
                        null),
                new StackSettings.Central(
                        "local",
                        null,
                        null,
                        8428,
                        "0.0.0.0",
                        "90d",
                        "research",
                        "/etc/rm/store-password",
                        null,
                        null)));
        String text = Files.readString(file.path());
        assertTrue(text.contains("\"passwordFile\" : \"/etc/rm/password\""), text);
        assertTrue(text.contains("\"passwordFile\" : \"/etc/rm/store-password\""), text);
        assertFalse(text.toLowerCase().contains("\"password\""), text);
    }

    @Test
    void unreadableFile_isAnErrorNamingIt_andHowToGetOut() throws IOException {
        Path json = state.resolve("stack.json");
        for (String bad : List.of("{\"runtime\": ", "null", "[1, 2]")) {
            Files.writeString(json, bad);
            ManagerException e = assertThrows(ManagerException.class, () -> new SettingsFile(state).read(), bad);
            assertTrue(e.getMessage().contains(json.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("remove it"), e.getMessage());
        }
    }

    @Test
    void portOutOfRange_isAnErrorNamingThePartAndItsOption() throws IOException {
        Files.writeString(state.resolve("stack.json"), "{\"runtime\": \"local\", \"ports\": {\"grafana\": 70000}}");
        ManagerException e = assertThrows(ManagerException.class, () -> new SettingsFile(state).read());
        assertTrue(e.getMessage().contains("grafana the port 70000"), e.getMessage());
        assertTrue(e.getMessage().contains("--grafana-port"), e.getMessage());
    }

    @Test
    void givenHost_replacesTheRememberedOne_andKeepsTheRememberedRemoteWriteAndInterval() {
        StackSettings.Shipping updated =
                SHIPPING.updatedWith(new StackSettings.Shipping("gpu-b", null, null, null, null, null, null), false);
        assertEquals(
                new StackSettings.Shipping(
                        "gpu-b", SHIPPING.remoteWrite(), SHIPPING.bearerTokenFile(), null, null, null, "5s"),
                updated);
    }

    @Test
    void givenRemoteWrite_replacesTheRememberedOneWhole_credentialsIncluded() {
        StackSettings.Shipping given = new StackSettings.Shipping(
                null, List.of("https://other/api/v1/write"), null, "host-a", "/etc/rm/password", null, null);
        StackSettings.Shipping updated = SHIPPING.updatedWith(given, false);
        assertEquals(List.of("https://other/api/v1/write"), updated.remoteWrite());
        assertNull(updated.bearerTokenFile(), "the remembered store's token is not sent to another store");
        assertEquals("host-a", updated.basicAuthUser());
        assertEquals("gpu-a", updated.host());
        assertEquals("5s", updated.scrapeInterval());
    }

    @Test
    void noRemoteWrite_forgetsOnlyTheRemoteWrite() {
        StackSettings.Shipping updated = SHIPPING.updatedWith(StackSettings.Shipping.NONE, true);
        assertEquals(new StackSettings.Shipping("gpu-a", null, null, null, null, null, "5s"), updated);
        assertEquals(
                SHIPPING, SHIPPING.updatedWith(StackSettings.Shipping.NONE, false), "no option: all as remembered");
    }
}
