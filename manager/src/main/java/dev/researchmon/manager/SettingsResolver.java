package dev.researchmon.manager;

import dev.researchmon.manager.ManagerOptions.Role;
import dev.researchmon.manager.ManagerOptions.RuntimeChoice;
import dev.researchmon.manager.central.StoreCredentials;
import dev.researchmon.manager.docker.DockerConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What each setting of one call is. Every setting is looked for in the same order, written once in
 * {@link #firstSaid}:
 * <ol>
 * <li>the command line: what the user says now;</li>
 * <li>the environment ({@code DOCKER_HOST}, {@code GRAFANA_USER}, {@code GRAFANA_PASSWORD},
 *     {@code PROMETHEUS_PORT} and the other compose port variables): also said now, by the shell;</li>
 * <li>stack.json: how the stack was last enabled from this state folder ({@link StackSettings});</li>
 * <li>the defaults: the checkout's compose file, compose's ports, the store's 8428 ...</li>
 * </ol>
 * A setting with no environment variable skips the second. The remote write is taken whole from one
 * source (a token belongs to its store); {@code --role central} reads and writes only its own part of
 * stack.json. No secret is ever remembered. Nothing here touches a file but to check one exists.
 *
 * <pre>{@code
 * SettingsResolver settings = new SettingsResolver(options, System.getenv(), new SettingsFile(dir).read(), checkout);
 * settings.dockerHost();      // --docker-host, else $DOCKER_HOST, else stack.json's, else the default socket
 * settings.rememberHost("docker", ports);   // what to write to stack.json after an enable
 * }</pre>
 */
public final class SettingsResolver {
    public static final int STORE_PORT = 8428;
    public static final String STORE_BIND = "0.0.0.0";
    public static final String STORE_RETENTION = "90d";
    static final String STATE_VARIABLE = "RESEARCH_MONITOR_STATE";

    private final ManagerOptions given;
    private final Map<String, String> environment;
    private final StackSettings remembered;
    private final StackSettings.Central rememberedStore;
    private final Path checkout;
    private final Path stateDir;

    /**
     * @param remembered stack.json of {@link #stateDir(ManagerOptions, Map)}, if there is one
     * @param checkout   the checkout this manager runs from ({@link Checkout#root()})
     */
    public SettingsResolver(
            ManagerOptions given, Map<String, String> environment, Optional<StackSettings> remembered, Path checkout) {
        this.given = given;
        this.environment = Map.copyOf(environment);
        this.remembered = remembered.orElse(StackSettings.NONE);
        this.rememberedStore =
                this.remembered.central() != null ? this.remembered.central() : StackSettings.Central.NONE;
        this.checkout = checkout;
        this.stateDir = stateDir(given, environment);
        given.givenPorts().forEach((part, port) -> {
            if (port < 1 || port > 65535) {
                throw new UsageException("--" + part + "-port must be a port number in 1..65535, not " + port);
            }
        });
        if (given.timeoutSeconds < 1) {
            throw new UsageException("--timeout must be at least 1 second");
        }
    }

    /** The precedence, the one place it is written: the first source that says something wins. */
    static <T> T firstSaid(T commandLine, T environment, T stackJson, T fallback) {
        return commandLine != null
                ? commandLine
                : environment != null ? environment : stackJson != null ? stackJson : fallback;
    }

    /** --state-dir, else $RESEARCH_MONITOR_STATE, else the user's default: stack.json lives there, so it cannot say. */
    public static Path stateDir(ManagerOptions given, Map<String, String> environment) {
        String fromEnvironment = blankIsUnset(environment.get(STATE_VARIABLE));
        Path dir = firstSaid(
                given.stateDir,
                fromEnvironment == null ? null : Path.of(fromEnvironment),
                null,
                Path.of(System.getProperty("user.home"), ".local/share/research-monitor/stack"));
        return dir.toAbsolutePath().normalize();
    }

    public Path stateDir() {
        return stateDir;
    }

    public Role role() {
        return given.role;
    }

    private boolean central() {
        return given.role == Role.central;
    }

    public Duration timeout() {
        return Duration.ofSeconds(given.timeoutSeconds);
    }

    /** --runtime, else the one that last ran for this role, else auto. */
    public RuntimeChoice runtime() {
        String last = central() ? rememberedStore.runtime() : remembered.runtime();
        return firstSaid(given.runtime, null, last == null ? null : RuntimeChoice.valueOf(last), RuntimeChoice.auto);
    }

    /** --docker-host, else $DOCKER_HOST, else the one the role last ran on, else the default socket. */
    public String dockerHost() {
        return firstSaid(
                blankIsUnset(given.dockerHost),
                env("DOCKER_HOST"),
                central() ? rememberedStore.dockerHost() : remembered.dockerHost(),
                DockerConnection.DEFAULT_HOST);
    }

    /**
     * --compose-file, else the one given when the role was last enabled, else this checkout's own
     * (docker/compose.yaml, or compose.central.yaml for the store): never another checkout's.
     */
    public Path composeFile() {
        String last = central() ? rememberedStore.givenComposeFile() : remembered.givenComposeFile();
        Path compose = firstSaid(
                given.composeFile,
                null,
                last == null ? null : Path.of(last),
                checkout.resolve(central() ? "docker/compose.central.yaml" : "docker/compose.yaml"));
        if (!Files.isRegularFile(compose)) {
            throw new ManagerException("no stack description at " + compose + " (give one with --compose-file)");
        }
        return compose;
    }

    /**
     * Part to host port, for each part whose port something says: --PART-port, else $PART_PORT, else
     * the port the host stack was last enabled with. A part nobody names keeps compose's default.
     */
    public Map<String, Integer> ports() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        given.portOptions().forEach((part, flag) -> {
            Integer port = firstSaid(
                    flag,
                    environmentPort(part),
                    central() ? null : remembered.ports().get(part),
                    null);
            if (port != null) {
                ports.put(part, port);
            }
        });
        return ports;
    }

    /** --grafana-user, else $GRAFANA_USER, else the host stack's last, else compose's default (admin). */
    public String grafanaUser() {
        return firstSaid(given.grafanaUser, env("GRAFANA_USER"), central() ? null : remembered.grafanaUser(), null);
    }

    /** --grafana-password, else $GRAFANA_PASSWORD; never remembered. */
    public String grafanaPassword() {
        return firstSaid(given.grafanaPassword, env("GRAFANA_PASSWORD"), null, null);
    }

    /** The variables compose.yaml is read with: the environment, with what was resolved above in place. */
    public Map<String, String> composeVariables() {
        Map<String, String> variables = new HashMap<>(environment);
        ports().forEach((part, port) -> variables.put(portVariable(part), port.toString()));
        Optional.ofNullable(grafanaUser()).ifPresent(u -> variables.put("GRAFANA_USER", u));
        Optional.ofNullable(grafanaPassword()).ifPresent(p -> variables.put("GRAFANA_PASSWORD", p));
        return variables;
    }

    /** Whether this call's remote write comes from stack.json rather than the command line. */
    public boolean remoteWriteRemembered() {
        return !given.remoteWriteGiven();
    }

    /**
     * --host and --scrape-interval each, else as remembered; the remote write (URLs, credentials'
     * files and CA) as a whole from the command line, else as remembered, unless --no-remote-write.
     * A wrong combination is a usage error.
     */
    public StackSettings.Shipping shipping() {
        if (central()) {
            return StackSettings.Shipping.NONE;
        }
        boolean basic = given.basicAuthUser != null || given.passwordFile != null;
        if (given.noRemoteWrite && given.remoteWriteGiven()) {
            throw new UsageException("--no-remote-write and --remote-write* contradict each other: give one");
        }
        if (given.remoteWriteUrls.isEmpty() && (given.bearerTokenFile != null || basic || given.caFile != null)) {
            throw new UsageException("--remote-write-* options need --remote-write URL");
        }
        if (given.bearerTokenFile != null && basic) {
            throw new UsageException("choose one way to authenticate: --remote-write-bearer-token-file, or "
                    + "--remote-write-basic-auth-user with --remote-write-password-file");
        }
        if (basic && (given.basicAuthUser == null || given.passwordFile == null)) {
            throw new UsageException("--remote-write-basic-auth-user and --remote-write-password-file go together");
        }
        StackSettings.Shipping last =
                remembered.shipping() != null ? remembered.shipping() : StackSettings.Shipping.NONE;
        return last.updatedWith(
                new StackSettings.Shipping(
                        given.host,
                        given.remoteWriteUrls,
                        absolute(given.bearerTokenFile),
                        given.basicAuthUser,
                        absolute(given.passwordFile),
                        absolute(given.caFile),
                        given.scrapeInterval),
                given.noRemoteWrite);
    }

    /**
     * The central store's settings, each --store-* option, else as remembered, else its default.
     * The user and the password file are absent for --store-no-auth (the password file also when it is
     * the default one in the state folder); the TLS pair is taken whole.
     */
    public StackSettings.Central store() {
        if (given.remoteWriteGiven() || given.noRemoteWrite || given.host != null) {
            throw new UsageException(
                    "--role central is the store the hosts ship to: --host and --remote-write* are for each host");
        }
        if (given.storeNoAuth && (given.storeUser != null || given.storePasswordFile != null)) {
            throw new UsageException(
                    "--store-no-auth opens the store to everyone: --store-user and --store-password-file contradict it");
        }
        if ((given.storeTlsCert == null) != (given.storeTlsKey == null)) {
            throw new UsageException("--store-tls-cert and --store-tls-key go together");
        }
        int port = firstSaid(given.storePort, null, rememberedStore.port(), STORE_PORT);
        if (port < 1 || port > 65535) {
            throw new UsageException("--store-port must be a port number in 1..65535, not " + port);
        }
        boolean tlsGiven = given.storeTlsCert != null;
        return new StackSettings.Central(
                null,
                null,
                null,
                port,
                firstSaid(given.storeBind, null, rememberedStore.bind(), STORE_BIND),
                firstSaid(given.storeRetention, null, rememberedStore.retention(), STORE_RETENTION),
                given.storeNoAuth
                        ? null
                        : firstSaid(given.storeUser, null, rememberedStore.user(), StoreCredentials.DEFAULT_USER),
                given.storeNoAuth
                        ? null
                        : firstSaid(absolute(given.storePasswordFile), null, rememberedStore.passwordFile(), null),
                tlsGiven ? absolute(given.storeTlsCert) : rememberedStore.tlsCertFile(),
                tlsGiven ? absolute(given.storeTlsKey) : rememberedStore.tlsKeyFile());
    }

    /** Only --store-no-auth opens the store, each time: it is never remembered. */
    public boolean storeNoAuth() {
        return given.storeNoAuth;
    }

    /**
     * What stack.json keeps after the host stack was enabled: this call's settings, the central
     * store's left as they were.
     *
     * @param publishedPorts every part's host port as the stack that ran published it
     */
    public StackSettings rememberHost(String runtimeThatRan, Map<String, Integer> publishedPorts) {
        StackSettings.Shipping shipping = shipping();
        return new StackSettings(
                runtimeThatRan,
                runtimeThatRan.equals("docker") ? dockerHost() : null,
                givenComposeFile(remembered.givenComposeFile()),
                publishedPorts,
                firstSaid(given.grafanaUser, null, remembered.grafanaUser(), null),
                shipping.isEmpty() ? null : shipping,
                remembered.central());
    }

    /** What stack.json keeps after the central store was enabled: its settings, the host stack's as they were. */
    public StackSettings rememberCentral(String runtimeThatRan) {
        StackSettings.Central store = store();
        return remembered.withCentral(new StackSettings.Central(
                runtimeThatRan,
                runtimeThatRan.equals("docker") ? dockerHost() : null,
                givenComposeFile(rememberedStore.givenComposeFile()),
                store.port(),
                store.bind(),
                store.retention(),
                store.user(),
                store.passwordFile(),
                store.tlsCertFile(),
                store.tlsKeyFile()));
    }

    /** The compose variable that a part's port goes by: PROMETHEUS_PORT, NODE_EXPORTER_PORT, ... */
    static String portVariable(String part) {
        return part.toUpperCase(Locale.ROOT).replace('-', '_') + "_PORT";
    }

    private String givenComposeFile(String last) {
        return firstSaid(absolute(given.composeFile), null, last, null);
    }

    private Integer environmentPort(String part) {
        String name = portVariable(part);
        String value = env(name);
        if (value == null) {
            return null;
        }
        try {
            int port = Integer.parseInt(value.strip());
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException notANumber) {
            // the same message as a number out of range
        }
        throw new ManagerException("$" + name + " must be a port number in 1..65535, not '" + value
                + "'; unset it, or give --" + part + "-port");
    }

    private String env(String name) {
        return blankIsUnset(environment.get(name));
    }

    private static String blankIsUnset(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static String absolute(Path file) {
        return file == null ? null : file.toAbsolutePath().normalize().toString();
    }
}
