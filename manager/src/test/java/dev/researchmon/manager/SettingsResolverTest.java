package dev.researchmon.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.researchmon.manager.ManagerOptions.RuntimeChoice;
import dev.researchmon.manager.docker.DockerConnection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The precedence, flag by flag: the command line, then the environment, then stack.json, then the
 * default. Each remembered setting is checked four ways: remembered alone, a flag against it, the
 * environment against it where a variable exists, and neither.
 */
class SettingsResolverTest {
    @TempDir
    Path dir;

    Path checkout;
    Path otherCheckout;

    static final StackSettings.Shipping SHIPPING = new StackSettings.Shipping(
            "gpu-a", List.of("https://central.lab:8428/api/v1/write"), "/etc/rm/token", null, null, null, "5s");

    static final StackSettings.Central STORE = new StackSettings.Central(
            "docker",
            "tcp://engine:2375",
            null,
            18428,
            "10.0.0.5",
            "30d",
            "lab",
            "/etc/rm/store-password",
            "/etc/rm/cert.pem",
            "/etc/rm/key.pem");

    /** How a host stack and a store were last enabled, every field set and none a default. */
    StackSettings remembered;

    @BeforeEach
    void checkouts() throws IOException {
        checkout = dir.resolve("checkout");
        otherCheckout = dir.resolve("old-checkout");
        for (Path root : List.of(checkout, otherCheckout)) {
            Files.createDirectories(root.resolve("docker"));
            Files.writeString(root.resolve("docker/compose.yaml"), "services: {}\n");
            Files.writeString(root.resolve("docker/compose.central.yaml"), "services: {}\n");
        }
        remembered = new StackSettings(
                "docker",
                "unix:///run/podman/podman.sock",
                null,
                Map.of(
                        "prometheus",
                        19090,
                        "alertmanager",
                        19093,
                        "grafana",
                        13000,
                        "node-exporter",
                        19100,
                        "cadvisor",
                        18080,
                        "jupyter",
                        18888,
                        "sidecar",
                        19464),
                "lab-admin",
                SHIPPING,
                STORE);
    }

    private SettingsResolver resolve(StackSettings last, Map<String, String> environment, String... args) {
        ManagerOptions options = new ManagerOptions();
        String[] withAction = java.util.stream.Stream.concat(
                        java.util.stream.Stream.of("--status"), java.util.Arrays.stream(args))
                .toArray(String[]::new);
        new CommandLine(options).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(withAction);
        return new SettingsResolver(options, environment, Optional.ofNullable(last), checkout);
    }

    private SettingsResolver resolve(StackSettings last, String... args) {
        return resolve(last, Map.of(), args);
    }

    /** Flag over stack.json over default, for a setting without an environment variable; {@code base} on every call. */
    private <T> void flagThenRememberedThenDefault(
            Function<SettingsResolver, T> setting,
            T fromFlag,
            T fromMemory,
            T byDefault,
            List<String> base,
            String... flag) {
        String[] withFlag = java.util.stream.Stream.concat(base.stream(), java.util.Arrays.stream(flag))
                .toArray(String[]::new);
        String[] without = base.toArray(String[]::new);
        assertEquals(fromFlag, setting.apply(resolve(remembered, withFlag)), "the flag wins over stack.json");
        assertEquals(fromMemory, setting.apply(resolve(remembered, without)), "without the flag, as remembered");
        assertEquals(byDefault, setting.apply(resolve(null, without)), "neither: the default");
    }

    static final List<String> HOST = List.of();
    static final List<String> CENTRAL = List.of("--role", "central");

    @Test
    void runtime_flagThenRemembered_thenAuto() {
        flagThenRememberedThenDefault(
                SettingsResolver::runtime,
                RuntimeChoice.local,
                RuntimeChoice.docker,
                RuntimeChoice.auto,
                HOST,
                "--runtime",
                "local");
    }

    @Test
    void dockerHost_whatTheUserSetsNow_winsOverTheRememberedOne() {
        Map<String, String> env = Map.of("DOCKER_HOST", "unix:///run/user/1000/podman.sock");
        assertEquals(
                "tcp://given:2375",
                resolve(remembered, env, "--docker-host", "tcp://given:2375").dockerHost());
        assertEquals(
                "unix:///run/user/1000/podman.sock",
                resolve(remembered, env).dockerHost(),
                "$DOCKER_HOST over stack.json");
        assertEquals("unix:///run/podman/podman.sock", resolve(remembered).dockerHost());
        assertEquals(DockerConnection.DEFAULT_HOST, resolve(null).dockerHost());
        assertEquals(
                DockerConnection.DEFAULT_HOST,
                resolve(null, Map.of("DOCKER_HOST", " ")).dockerHost(),
                "blank is unset");
    }

    @Test
    void composeFile_isThisCheckoutsOwn_unlessOneWasGiven() throws IOException {
        Path given = Files.writeString(dir.resolve("mine.yaml"), "services: {}\n");
        assertEquals(
                given, resolve(remembered, "--compose-file", given.toString()).composeFile());
        assertEquals(
                checkout.resolve("docker/compose.yaml"),
                resolve(remembered).composeFile(),
                "what another checkout enabled does not pin its compose file");
        StackSettings givenBefore = new StackSettings("local", null, given.toString(), Map.of(), null, null, null);
        assertEquals(given, resolve(givenBefore).composeFile(), "a compose file given at enable is remembered");
        assertEquals(
                checkout.resolve("docker/compose.yaml"),
                resolve(
                                givenBefore,
                                "--compose-file",
                                checkout.resolve("docker/compose.yaml").toString())
                        .composeFile());
        assertEquals(
                checkout.resolve("docker/compose.central.yaml"),
                resolve(null, "--role", "central").composeFile());
        ManagerException gone = assertThrows(
                ManagerException.class,
                () -> resolve(null, "--compose-file", dir.resolve("absent.yaml").toString())
                        .composeFile());
        assertTrue(gone.getMessage().contains("no stack description at"), gone.getMessage());
    }

    @Test
    void rememberHost_keepsOnlyAGivenComposeFile_never_theCheckoutsDefault() throws IOException {
        assertNull(resolve(remembered).rememberHost("local", Map.of()).givenComposeFile());
        Path given = Files.writeString(dir.resolve("mine.yaml"), "services: {}\n");
        assertEquals(
                given.toString(),
                resolve(remembered, "--compose-file", given.toString())
                        .rememberHost("local", Map.of())
                        .givenComposeFile());
    }

    @Test
    void everyPort_flagThenEnvironmentThenRemembered_elseComposesDefault() {
        Map<String, String> flags = Map.of(
                "prometheus",
                "29090",
                "alertmanager",
                "29093",
                "grafana",
                "23000",
                "node-exporter",
                "29100",
                "cadvisor",
                "28080",
                "jupyter",
                "28888",
                "sidecar",
                "29464");
        for (String part : new ManagerOptions().portOptions().keySet()) {
            String variable = SettingsResolver.portVariable(part);
            Map<String, String> env = Map.of(variable, "3" + flags.get(part).substring(1));
            assertEquals(
                    Integer.valueOf(flags.get(part)),
                    resolve(remembered, env, "--" + part + "-port", flags.get(part))
                            .ports()
                            .get(part),
                    part + ": the flag");
            assertEquals(
                    Integer.valueOf(env.get(variable)),
                    resolve(remembered, env).ports().get(part),
                    part + ": $" + variable);
            assertEquals(
                    remembered.ports().get(part), resolve(remembered).ports().get(part), part + ": stack.json");
            assertFalse(resolve(null).ports().containsKey(part), part + ": compose's default");
            assertEquals(
                    env.get(variable),
                    resolve(remembered, env).composeVariables().get(variable),
                    part);
        }
        ManagerException bad = assertThrows(
                ManagerException.class,
                () -> resolve(remembered, Map.of("PROMETHEUS_PORT", "nine")).ports());
        assertTrue(bad.getMessage().contains("$PROMETHEUS_PORT must be a port number"), bad.getMessage());
        UsageException range = assertThrows(UsageException.class, () -> resolve(null, "--jupyter-port", "0"));
        assertTrue(
                range.getMessage().contains("--jupyter-port must be a port number in 1..65535, not 0"),
                range.getMessage());
    }

    @Test
    void grafanaUser_flagThenEnvironmentThenRemembered() {
        Map<String, String> env = Map.of("GRAFANA_USER", "from-shell");
        assertEquals(
                "given", resolve(remembered, env, "--grafana-user", "given").grafanaUser());
        assertEquals("from-shell", resolve(remembered, env).grafanaUser());
        assertEquals("lab-admin", resolve(remembered).grafanaUser());
        assertNull(resolve(null).grafanaUser());
        assertEquals(
                "lab-admin",
                resolve(remembered, env).rememberHost("docker", Map.of()).grafanaUser(),
                "what the shell says is not written down for later");
    }

    @Test
    void grafanaPassword_flagThenEnvironment_neverRemembered() {
        Map<String, String> env = Map.of("GRAFANA_PASSWORD", "from-shell");
        assertEquals(
                "given", resolve(remembered, env, "--grafana-password", "given").grafanaPassword());
        assertEquals("from-shell", resolve(remembered, env).grafanaPassword());
        assertNull(resolve(remembered).grafanaPassword());
        assertFalse(resolve(remembered, env, "--grafana-password", "s3cret")
                .rememberHost("docker", Map.of())
                .toString()
                .contains("s3cret"));
    }

    @Test
    void stateDir_flagThenEnvironment_thenTheUsersDefault() {
        ManagerOptions options = new ManagerOptions();
        Map<String, String> env =
                Map.of("RESEARCH_MONITOR_STATE", dir.resolve("env").toString());
        assertEquals(dir.resolve("env"), SettingsResolver.stateDir(options, env));
        options.stateDir = dir.resolve("flag");
        assertEquals(dir.resolve("flag"), SettingsResolver.stateDir(options, env));
        assertTrue(SettingsResolver.stateDir(new ManagerOptions(), Map.of())
                .endsWith(".local/share/research-monitor/stack"));
    }

    @Test
    void host_andScrapeInterval_eachFlagThenRemembered() {
        flagThenRememberedThenDefault(r -> r.shipping().host(), "gpu-b", "gpu-a", null, HOST, "--host", "gpu-b");
        flagThenRememberedThenDefault(
                r -> r.shipping().scrapeInterval(), "30s", "5s", null, HOST, "--scrape-interval", "30s");
    }

    @Test
    void remoteWrite_isTakenWhole_fromTheFlags_elseRemembered_unlessForgotten() throws IOException {
        Path password = Files.writeString(dir.resolve("password"), "p");
        Path ca = Files.writeString(dir.resolve("ca.pem"), "c");
        StackSettings.Shipping given = resolve(
                        remembered,
                        "--remote-write",
                        "https://other/api/v1/write",
                        "--remote-write-basic-auth-user",
                        "u",
                        "--remote-write-password-file",
                        password.toString(),
                        "--remote-write-ca-file",
                        ca.toString())
                .shipping();
        assertEquals(List.of("https://other/api/v1/write"), given.remoteWrite());
        assertNull(given.bearerTokenFile(), "the remembered store's token is not sent to another store");
        assertEquals("u", given.basicAuthUser());
        assertEquals(password.toString(), given.passwordFile());
        assertEquals(ca.toString(), given.caFile());
        assertEquals(SHIPPING, resolve(remembered).shipping());
        assertTrue(resolve(remembered).remoteWriteRemembered());
        assertEquals(
                List.of(), resolve(remembered, "--no-remote-write").shipping().remoteWrite());
        assertEquals(
                "gpu-a",
                resolve(remembered, "--no-remote-write").shipping().host(),
                "only the remote write is forgotten");
        assertEquals(
                List.of("https://a/api/v1/write", "https://b/api/v1/write"),
                resolve(null, "--remote-write", "https://a/api/v1/write", "--remote-write", "https://b/api/v1/write")
                        .shipping()
                        .remoteWrite());
        Path token = Files.writeString(dir.resolve("token"), "t");
        assertEquals(
                token.toString(),
                resolve(
                                null,
                                "--remote-write",
                                "https://a/api/v1/write",
                                "--remote-write-bearer-token-file",
                                token.toString())
                        .shipping()
                        .bearerTokenFile());
    }

    @Test
    void storeSettings_eachFlagThenRemembered_thenTheDefault() throws IOException {
        Path password = Files.writeString(dir.resolve("password"), "p");
        flagThenRememberedThenDefault(r -> r.store().port(), 28428, 18428, 8428, CENTRAL, "--store-port", "28428");
        flagThenRememberedThenDefault(
                r -> r.store().bind(), "127.0.0.1", "10.0.0.5", "0.0.0.0", CENTRAL, "--store-bind", "127.0.0.1");
        flagThenRememberedThenDefault(
                r -> r.store().retention(), "1y", "30d", "90d", CENTRAL, "--store-retention", "1y");
        flagThenRememberedThenDefault(
                r -> r.store().user(), "other", "lab", "research", CENTRAL, "--store-user", "other");
        flagThenRememberedThenDefault(
                r -> r.store().passwordFile(),
                password.toString(),
                "/etc/rm/store-password",
                null,
                CENTRAL,
                "--store-password-file",
                password.toString());
        flagThenRememberedThenDefault(
                r -> r.store().tlsCertFile(),
                "/srv/c.pem",
                "/etc/rm/cert.pem",
                null,
                CENTRAL,
                "--store-tls-cert",
                "/srv/c.pem",
                "--store-tls-key",
                "/srv/k.pem");
        flagThenRememberedThenDefault(
                r -> r.store().tlsKeyFile(),
                "/srv/k.pem",
                "/etc/rm/key.pem",
                null,
                CENTRAL,
                "--store-tls-cert",
                "/srv/c.pem",
                "--store-tls-key",
                "/srv/k.pem");
        flagThenRememberedThenDefault(
                r -> r.runtime(),
                RuntimeChoice.local,
                RuntimeChoice.docker,
                RuntimeChoice.auto,
                CENTRAL,
                "--runtime",
                "local");
        assertEquals(
                "tcp://engine:2375", resolve(remembered, "--role", "central").dockerHost(), "the store's own engine");
        assertEquals(
                "unix:///x.sock",
                resolve(remembered, Map.of("DOCKER_HOST", "unix:///x.sock"), "--role", "central")
                        .dockerHost());
    }

    @Test
    void storeNoAuth_isNeverRemembered_andDropsTheRememberedCredentials() {
        StackSettings.Central open =
                resolve(remembered, "--role", "central", "--store-no-auth").store();
        assertNull(open.user());
        assertNull(open.passwordFile());
        StackSettings written =
                resolve(remembered, "--role", "central", "--store-no-auth").rememberCentral("local");
        assertFalse(written.toString().toLowerCase().contains("noauth"), written.toString());
        assertEquals(
                "research",
                resolve(new StackSettings(null, null, null, null, null, null, written.central()), "--role", "central")
                        .store()
                        .user(),
                "leaving --store-no-auth out closes the store again");
    }

    @Test
    void rememberCentral_keepsTheHostStack_andRememberHost_keepsTheStore() {
        StackSettings afterStore = resolve(remembered, "--role", "central", "--store-port", "28428")
                .rememberCentral("local");
        assertEquals(28428, afterStore.central().port());
        assertEquals("local", afterStore.central().runtime());
        assertNull(afterStore.central().dockerHost(), "no engine for the local runtime");
        assertEquals(remembered.ports(), afterStore.ports());
        assertEquals(SHIPPING, afterStore.shipping());
        StackSettings afterHost =
                resolve(remembered, "--prometheus-port", "29090").rememberHost("docker", Map.of("prometheus", 29090));
        assertEquals(STORE, afterHost.central());
        assertEquals(Map.of("prometheus", 29090), afterHost.ports());
        assertEquals("unix:///run/podman/podman.sock", afterHost.dockerHost());
    }

    @Test
    void storePasswordFile_givenOnce_isTheOneLaterStatusNames() throws IOException {
        Path password = Files.writeString(dir.resolve("password"), "p");
        StackSettings written = resolve(null, "--role", "central", "--store-password-file", password.toString())
                .rememberCentral("local");
        assertEquals(
                password.toString(),
                resolve(written, "--role", "central").store().passwordFile());
        assertFalse(written.toString().contains("\"p\""));
    }

    @Test
    void contradictions_areUsageErrors() {
        assertThrows(
                UsageException.class,
                () -> resolve(null, "--role", "central", "--host", "a").store());
        assertThrows(
                UsageException.class,
                () -> resolve(null, "--role", "central", "--store-no-auth", "--store-user", "u")
                        .store());
        assertThrows(
                UsageException.class,
                () -> resolve(null, "--role", "central", "--store-tls-cert", "/c")
                        .store());
        assertThrows(
                UsageException.class,
                () -> resolve(null, "--role", "central", "--store-port", "70000")
                        .store());
        assertThrows(
                UsageException.class,
                () -> resolve(null, "--no-remote-write", "--remote-write", "https://a/")
                        .shipping());
        assertThrows(UsageException.class, () -> resolve(null, "--timeout", "0"));
    }
}
