package dev.researchmon.manager;

import dev.researchmon.manager.central.CentralStore;
import dev.researchmon.manager.central.LocalCentralStore;
import dev.researchmon.manager.central.SecretFile;
import dev.researchmon.manager.central.StoreCredentials;
import dev.researchmon.manager.central.StoreTls;
import dev.researchmon.manager.docker.DockerConnection;
import dev.researchmon.manager.docker.DockerPrometheusConfig;
import dev.researchmon.manager.docker.DockerRuntime;
import dev.researchmon.manager.local.LocalRuntime;
import dev.researchmon.manager.prometheus.HostShipping;
import dev.researchmon.manager.prometheus.RemoteWrite;
import dev.researchmon.manager.prometheus.RemoteWriteCheck;
import dev.researchmon.manager.stack.ComposeFile;
import dev.researchmon.manager.stack.HealthEndpoint;
import dev.researchmon.manager.stack.PortBinding;
import dev.researchmon.manager.stack.ServiceSpec;
import dev.researchmon.manager.stack.StackDescription;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code environment-manager}: one switch for the monitoring stack, on Docker where an engine
 * answers and as local processes where none does.
 *
 * <pre>
 * bin/environment-manager --enable-monitoring            # up, and wait until every part is healthy
 * bin/environment-manager --status                       # each part, its URL and health
 * bin/environment-manager --no-monitoring                # down; data volumes are kept
 * bin/environment-manager --enable-monitoring --runtime local --prometheus-port 19090
 * bin/environment-manager --enable-monitoring --host gpu-a --remote-write http://central:8428/api/v1/write \
 *         --remote-write-bearer-token-file /etc/research-monitor/token
 * </pre>
 *
 * Exit status: 0 done (for --status: every available part healthy), 1 error, 2 bad usage,
 * 3 --status found a part that is not healthy.
 */
@Command(name = "environment-manager", mixinStandardHelpOptions = true, version = "environment-manager 0.1.0",
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Starts, stops or shows the research monitoring stack described by docker/compose.yaml.")
public final class EnvironmentManager implements Callable<Integer> {
    static final int EXIT_ERROR = 1;
    static final int EXIT_NOT_HEALTHY = 3;

    enum RuntimeChoice { auto, docker, local }

    /** host: a research host's stack (the default); central: the store and dashboards many hosts ship to. */
    enum Role { host, central }

    static final class Action {
        @Option(names = "--enable-monitoring", required = true,
                description = "Bring the stack up and wait until each part is healthy.")
        boolean enable;
        @Option(names = "--no-monitoring", required = true,
                description = "Take the stack down; data volumes and folders are kept.")
        boolean disable;
        @Option(names = "--status", required = true, description = "Show each part, its URL and health.")
        boolean status;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Action action;

    @Option(names = "--runtime", paramLabel = "auto|docker|local",
            description = "docker: a Docker API; local: local processes; auto: docker where a Docker API answers, local otherwise "
                    + "(default: the runtime the stack was last enabled with, else auto).")
    RuntimeChoice runtime;

    @Option(names = "--grafana-user", paramLabel = "USER", description = "Grafana admin user (default: $GRAFANA_USER, else admin).")
    String grafanaUser;

    @Option(names = "--grafana-password", paramLabel = "PASSWORD",
            description = "Grafana admin password. Prefer $GRAFANA_PASSWORD: a password given here shows in the process list.")
    String grafanaPassword;

    @Option(names = "--docker-host", paramLabel = "URL", description = "Docker API address (default: $DOCKER_HOST, else " + DockerConnection.DEFAULT_HOST + ").")
    String dockerHost;

    @Option(names = "--compose-file", paramLabel = "FILE", description = "The stack description (default: docker/compose.yaml of this checkout).")
    Path composeFile;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "How the stack was last enabled (stack.json); for the local runtime also pid files, logs, generated config "
                    + "and data (default: $RESEARCH_MONITOR_STATE, else ~/.local/share/research-monitor/stack).")
    Path stateDir;

    @Option(names = "--timeout", defaultValue = "120", paramLabel = "SECONDS", description = "How long to wait for the parts to be healthy (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--role", defaultValue = "host", paramLabel = "host|central",
            description = "host (default): this machine's stack; central: the store every host ships to (VictoriaMetrics) "
                    + "and, on Docker, Grafana reading it.")
    Role role;

    @Option(names = "--store-port", defaultValue = "8428", paramLabel = "PORT",
            description = "--role central: the port VictoriaMetrics takes remote write and queries on (default: ${DEFAULT-VALUE}).")
    int storePort;

    @Option(names = "--store-bind", defaultValue = "0.0.0.0", paramLabel = "ADDRESS",
            description = "--role central: the address it listens on (default: ${DEFAULT-VALUE}, every interface: the hosts are other machines).")
    String storeBind;

    @Option(names = "--store-retention", defaultValue = "90d", paramLabel = "DURATION",
            description = "--role central: how long the store keeps samples (default: ${DEFAULT-VALUE}).")
    String storeRetention;

    @Option(names = "--store-user", paramLabel = "USER",
            description = "--role central: the user hosts and Grafana authenticate as (default: " + StoreCredentials.DEFAULT_USER + ").")
    String storeUser;

    @Option(names = "--store-password-file", paramLabel = "FILE",
            description = "--role central: a file holding that user's password (default: STATE_DIR/" + StoreCredentials.PASSWORD_FILE
                    + ", made with a random password on the first enable, mode 600, and reused).")
    Path storePasswordFile;

    @Option(names = "--store-tls-cert", paramLabel = "FILE",
            description = "--role central: serve https with this PEM certificate (with --store-tls-key); hosts trust it with --remote-write-ca-file.")
    Path storeTlsCert;

    @Option(names = "--store-tls-key", paramLabel = "FILE", description = "--role central: the PEM private key of --store-tls-cert.")
    Path storeTlsKey;

    @Option(names = "--store-no-auth",
            description = "--role central: let anyone who reaches the store write, read and delete without credentials. Not recommended.")
    boolean storeNoAuth;

    @Option(names = "--host", paramLabel = "NAME",
            description = "This host's name on every series shipped to a central store (default: the machine's host name).")
    String host;

    @Option(names = "--remote-write", paramLabel = "URL",
            description = "Ship everything this host's Prometheus collects to a central store's remote-write URL "
                    + "(VictoriaMetrics: http://central:8428/api/v1/write; Prometheus: .../api/v1/write). "
                    + "Repeat it to ship to several stores, each with its own queue.")
    List<String> remoteWriteUrls = new java.util.ArrayList<>();

    @Option(names = "--no-remote-write",
            description = "Ship nowhere: forget the remote write the stack was last enabled with.")
    boolean noRemoteWrite;

    @Option(names = "--remote-write-bearer-token-file", paramLabel = "FILE",
            description = "A file holding the bearer token the store asks for (read by Prometheus; never on a command line).")
    Path bearerTokenFile;

    @Option(names = "--remote-write-basic-auth-user", paramLabel = "USER", description = "User for a store that asks for basic auth.")
    String basicAuthUser;

    @Option(names = "--remote-write-password-file", paramLabel = "FILE", description = "A file holding that user's password.")
    Path passwordFile;

    @Option(names = "--remote-write-ca-file", paramLabel = "FILE",
            description = "CA certificate that signed an https store's certificate, when the system's CAs did not.")
    Path caFile;

    @Option(names = "--scrape-interval", paramLabel = "DURATION",
            description = "How often Prometheus scrapes and evaluates rules (default: as monitoring/prometheus/prometheus.yml says, 15s).")
    String scrapeInterval;

    @Option(names = "--prometheus-port", paramLabel = "PORT", description = "Host port of Prometheus (default 9090).")
    Integer prometheusPort;
    @Option(names = "--alertmanager-port", paramLabel = "PORT", description = "Host port of Alertmanager (default 9093).")
    Integer alertmanagerPort;
    @Option(names = "--grafana-port", paramLabel = "PORT", description = "Host port of Grafana (default 3000).")
    Integer grafanaPort;
    @Option(names = "--node-exporter-port", paramLabel = "PORT", description = "Host port of node-exporter (default 9100).")
    Integer nodeExporterPort;
    @Option(names = "--cadvisor-port", paramLabel = "PORT", description = "Host port of cAdvisor (default 8080).")
    Integer cadvisorPort;
    @Option(names = "--jupyter-port", paramLabel = "PORT", description = "Host port of Jupyter (default 8888).")
    Integer jupyterPort;
    @Option(names = "--sidecar-port", paramLabel = "PORT", description = "Host port of the metrics sidecar (default 9464).")
    Integer sidecarPort;

    private final Map<String, String> environment;
    /** How the stack was last enabled from this state folder, if it was. */
    private StackSettings remembered;
    /** The host label, remote write and scrape interval of this call: as given, else as remembered. */
    private StackSettings.Shipping shipping;
    private final PrintWriter out;
    private final PrintWriter err;

    EnvironmentManager(Map<String, String> environment, PrintWriter out, PrintWriter err) {
        this.environment = environment;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(args, System.getenv(), out, err));
    }

    /** Runs one command line; errors become one message on {@code err} and an exit status. */
    public static int run(String[] args, Map<String, String> environment, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new EnvironmentManager(environment, out, err))
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setOut(out)
                .setErr(err)
                .setParameterExceptionHandler((e, args1) -> {
                    // one line that names the mistake beats a screenful of usage
                    err.println("environment-manager: " + e.getMessage());
                    err.println("Try 'environment-manager --help' for the options.");
                    err.flush();
                    return CommandLine.ExitCode.USAGE;
                })
                .setExecutionExceptionHandler((e, line, parsed) -> {
                    if (e instanceof ManagerException) {
                        err.println("environment-manager: " + e.getMessage());
                        err.flush();
                        return EXIT_ERROR;
                    }
                    throw e;
                });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    @Override
    public Integer call() {
        validatePorts();
        if (grafanaPassword != null) {
            err.println("warning: --grafana-password puts the password in this process's command line, where other "
                    + "users can read it (ps, /proc) and your shell history keeps it; set GRAFANA_PASSWORD instead");
        }
        boolean central = role == Role.central;
        SettingsFile settingsFile = new SettingsFile(stateDir());
        StackRuntime stack;
        CentralStore store = null;
        if (central) {
            // the settings remembered in stack.json are the host stack's, not the store's
            store = centralStore();
            stack = chooseCentralRuntime(store);
        } else {
            remembered = settingsFile.read().orElse(null);
            refuseSharedPorts(loadStack(composeFile(), false));
            shipping = shippingSettings();
            stack = chooseRuntime(shipping(shipping));
        }
        out.println("runtime: " + stack.name());
        if (action.enable) {
            warnAboutDefaultPassword(stack);
            List<PartStatus> parts = stack.enable();
            if (!central) {
                settingsFile.write(settingsOf(stack));
            }
            printStatus(parts);
            printWhereToLookWithoutGrafana(parts);
            if (central) {
                printHostInstructions(store);
            }
            out.println("monitoring is on");
            return 0;
        }
        if (action.disable) {
            stack.disable();
            out.println("monitoring is off");
            return 0;
        }
        List<PartStatus> parts = stack.status();
        printStatus(parts);
        printWhereToLookWithoutGrafana(parts);
        if (central) {
            printHostInstructions(store);
        }
        boolean allHealthy = parts.stream()
                .allMatch(p -> p.healthy() || p.state() == PartStatus.State.NOT_AVAILABLE);
        return allHealthy ? 0 : EXIT_NOT_HEALTHY;
    }

    /** Part name to the port its --PART-port option gave, for the options given. */
    private Map<String, Integer> givenPorts() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("prometheus", prometheusPort);
        ports.put("alertmanager", alertmanagerPort);
        ports.put("grafana", grafanaPort);
        ports.put("node-exporter", nodeExporterPort);
        ports.put("cadvisor", cadvisorPort);
        ports.put("jupyter", jupyterPort);
        ports.put("sidecar", sidecarPort);
        ports.values().removeIf(java.util.Objects::isNull);
        return ports;
    }

    /** The compose variable that a part's port goes by: PROMETHEUS_PORT, NODE_EXPORTER_PORT, ... */
    private static String portVariable(String part) {
        return part.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_PORT";
    }

    private void validatePorts() {
        givenPorts().forEach((part, port) -> {
            if (port < 1 || port > 65535) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "--" + part + "-port must be a port number in 1..65535, not " + port);
            }
        });
        if (timeoutSeconds < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--timeout must be at least 1 second");
        }
    }

    /**
     * Where the central store listens and who may use it; host-only options are a usage error here.
     * Only an enable makes the password and admin key files; --status and --no-monitoring just name them.
     */
    CentralStore centralStore() {
        if (remoteWriteGiven() || noRemoteWrite || host != null) {
            throw usage("--role central is the store the hosts ship to: --host and --remote-write* are for each host");
        }
        if (storeNoAuth && (storeUser != null || storePasswordFile != null)) {
            throw usage("--store-no-auth opens the store to everyone: --store-user and --store-password-file contradict it");
        }
        if ((storeTlsCert == null) != (storeTlsKey == null)) {
            throw usage("--store-tls-cert and --store-tls-key go together");
        }
        try {
            Optional<StoreTls> tls = storeTlsCert == null ? Optional.empty() : Optional.of(StoreTls.of(storeTlsCert, storeTlsKey));
            Optional<StoreCredentials> credentials = Optional.empty();
            if (!storeNoAuth) {
                String user = storeUser != null ? storeUser : StoreCredentials.DEFAULT_USER;
                credentials = Optional.of(action.enable
                        ? StoreCredentials.prepare(stateDir(), user, Optional.ofNullable(storePasswordFile))
                        : new StoreCredentials(user, storePasswordFile != null ? storePasswordFile
                                : stateDir().resolve(StoreCredentials.PASSWORD_FILE),
                                stateDir().resolve(StoreCredentials.ADMIN_KEY_FILE), false));
            }
            return new CentralStore(storeBind, storePort, storeRetention, credentials, tls);
        } catch (ManagerException e) {
            throw usage(e.getMessage());
        }
    }

    /** What each host passes to ship here, and what is not safe about this store. */
    private void printHostInstructions(CentralStore store) {
        store.credentials().filter(StoreCredentials::passwordGenerated).ifPresent(c ->
                out.println("made a random password for user " + c.user() + " in " + c.passwordFile() + " (mode 600)"));
        store.hostInstructions().forEach(out::println);
        store.credentials().map(StoreCredentials::passwordFile).filter(SecretFile::readableByOthers).ifPresent(f ->
                err.println("warning: " + f + " is readable by other users of this machine; chmod 600 " + f));
        if (store.credentials().isEmpty()) {
            err.println("warning: --store-no-auth: anyone who reaches " + store.bind() + ":" + store.port()
                    + " can write, read and delete every host's history, without credentials");
        } else if (store.tls().isEmpty() && !store.loopbackOnly()) {
            err.println("warning: the store speaks plain http on " + store.bind() + ":" + store.port()
                    + ": the password and every sample cross the network unencrypted; serve https with "
                    + "--store-tls-cert and --store-tls-key");
        }
        out.flush();
        err.flush();
    }

    private StackRuntime chooseCentralRuntime(CentralStore store) {
        String host = dockerHost();
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        RuntimeChoice choice = runtime != null ? runtime : RuntimeChoice.auto;
        boolean docker = choice == RuntimeChoice.docker
                || (choice == RuntimeChoice.auto && DockerConnection.whyNotAnswering(host).isEmpty());
        if (!docker) {
            if (choice == RuntimeChoice.auto) {
                out.println("no Docker API answers at " + host + ": running the central store as local processes");
            }
            return new LocalCentralStore(store, stateDir(), timeout, out);
        }
        Path compose = composeFile != null ? composeFile : repoRoot().resolve("docker/compose.central.yaml");
        if (!Files.isRegularFile(compose)) {
            throw new ManagerException("no stack description at " + compose + " (give one with --compose-file)");
        }
        if (store.tls().isPresent()) {
            throw new ManagerException("--store-tls-cert is for the local runtime so far: on Docker, put a TLS proxy in "
                    + "front of the store, or run it with --runtime local");
        }
        Map<String, String> variables = new HashMap<>(environment);
        // The store and Grafana get the secrets through their containers' environment, filled in here
        // from the files: compose.central.yaml names only the variables. Only an enable creates containers.
        Map<String, String> secrets = !action.enable ? Map.of()
                : store.credentials().map(StoreCredentials::victoriaMetricsEnvironment).orElse(Map.of());
        variables.put("STORE_USER", secrets.getOrDefault("httpAuth_username", ""));
        variables.put("STORE_PASSWORD", secrets.getOrDefault("httpAuth_password", ""));
        variables.put("STORE_ADMIN_KEY", secrets.getOrDefault("deleteAuthKey", ""));
        variables.put("VICTORIA_METRICS_PORT", String.valueOf(store.port()));
        variables.put("VICTORIA_METRICS_BIND", store.bind());
        variables.put("VICTORIA_METRICS_RETENTION", store.retention());
        putIfSet(variables, "GRAFANA_PORT", grafanaPort);
        putIfSet(variables, "GRAFANA_USER", grafanaUser);
        putIfSet(variables, "GRAFANA_PASSWORD", grafanaPassword);
        return new DockerRuntime(host, gpus -> ComposeFile.load(compose, variables, false), timeout, out);
    }

    /**
     * Two parts published on the same host port would have the second fail at start, after the first
     * is up: refuse before anything starts, naming both options.
     */
    private void refuseSharedPorts(StackDescription stack) {
        Map<String, String> owners = new LinkedHashMap<>();
        for (ServiceSpec service : stack.services()) {
            for (PortBinding binding : service.ports()) {
                String part = service.health().stream().filter(h -> h.containerPort() == binding.containerPort())
                        .map(HealthEndpoint::part).findFirst().orElse(service.name());
                String key = binding.hostPort() + "/" + binding.protocol();
                String other = owners.putIfAbsent(key, part);
                if (other != null) {
                    throw new CommandLine.ParameterException(new CommandLine(this), other + " and " + part
                            + " are both given port " + binding.hostPort() + "; give each its own (--" + other
                            + "-port, --" + part + "-port)");
                }
            }
        }
    }

    /** What --enable-monitoring just did, for the next call without flags. */
    private StackSettings settingsOf(StackRuntime stack) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (ServiceSpec service : loadStack(composeFile(), false).services()) {
            for (HealthEndpoint health : service.health()) {
                service.published(health.containerPort()).ifPresent(p -> ports.put(health.part(), p.hostPort()));
            }
        }
        String user = grafanaUser != null ? grafanaUser : remembered == null ? null : remembered.grafanaUser();
        return new StackSettings(stack.name(), stack.name().equals("docker") ? dockerHost() : null,
                composeFile().toAbsolutePath().toString(), ports, user, shipping.isEmpty() ? null : shipping);
    }

    /** --docker-host, else the remembered one, else $DOCKER_HOST, else the default socket. */
    private String dockerHost() {
        return Optional.ofNullable(dockerHost)
                .or(() -> Optional.ofNullable(remembered).map(StackSettings::dockerHost))
                .or(() -> Optional.ofNullable(environment.get("DOCKER_HOST")))
                .filter(h -> !h.isBlank()).orElse(DockerConnection.DEFAULT_HOST);
    }

    private boolean remoteWriteGiven() {
        return !remoteWriteUrls.isEmpty() || bearerTokenFile != null || basicAuthUser != null || passwordFile != null
                || caFile != null;
    }

    /**
     * --host, the remote write (its URLs, credentials' files and CA as one: from this command line when
     * --remote-write is given, else as remembered, unless --no-remote-write) and --scrape-interval,
     * each as given, else as the stack was last enabled; a wrong combination is a usage error.
     */
    StackSettings.Shipping shippingSettings() {
        boolean basic = basicAuthUser != null || passwordFile != null;
        if (noRemoteWrite && remoteWriteGiven()) {
            throw usage("--no-remote-write and --remote-write* contradict each other: give one");
        }
        if (remoteWriteUrls.isEmpty() && (bearerTokenFile != null || basic || caFile != null)) {
            throw usage("--remote-write-* options need --remote-write URL");
        }
        if (bearerTokenFile != null && basic) {
            throw usage("choose one way to authenticate: --remote-write-bearer-token-file, or "
                    + "--remote-write-basic-auth-user with --remote-write-password-file");
        }
        if (basic && (basicAuthUser == null || passwordFile == null)) {
            throw usage("--remote-write-basic-auth-user and --remote-write-password-file go together");
        }
        StackSettings.Shipping last = remembered != null && remembered.shipping() != null ? remembered.shipping()
                : StackSettings.Shipping.NONE;
        return last.updatedWith(new StackSettings.Shipping(host, remoteWriteUrls, absolute(bearerTokenFile),
                basicAuthUser, absolute(passwordFile), absolute(caFile), scrapeInterval), noRemoteWrite);
    }

    private static String absolute(Path file) {
        return file == null ? null : file.toAbsolutePath().normalize().toString();
    }

    /**
     * What Prometheus gets from {@code settings}. A remote write only remembered is checked only where
     * it is used, when enabling: --status and --no-monitoring work even if its token file has gone.
     */
    HostShipping shipping(StackSettings.Shipping settings) {
        boolean fromMemory = !remoteWriteGiven();
        List<RemoteWrite> remoteWrites = List.of();
        if (!settings.remoteWrite().isEmpty() && (!fromMemory || action.enable)) {
            String from = fromMemory ? " (remembered in " + new SettingsFile(stateDir()).path()
                    + "; give --remote-write again, or --no-remote-write)" : "";
            try {
                RemoteWrite.Auth auth = settings.bearerTokenFile() != null ? new RemoteWrite.Bearer(Path.of(settings.bearerTokenFile()))
                        : settings.basicAuthUser() != null
                        ? new RemoteWrite.Basic(settings.basicAuthUser(), Path.of(settings.passwordFile()))
                        : new RemoteWrite.NoAuth();
                Optional<Path> ca = Optional.ofNullable(settings.caFile()).map(Path::of);
                // the same credentials for every store given
                remoteWrites = settings.remoteWrite().stream().map(url -> RemoteWrite.of(url, auth, ca)).toList();
            } catch (ManagerException e) {
                if (fromMemory) {
                    throw new ManagerException(e.getMessage() + from, e);
                }
                throw usage(e.getMessage());
            }
            remoteWrites.stream().filter(RemoteWrite::sendsSecretsInClear).forEach(rw -> err.println("warning: " + rw.url()
                    + " is plain http to another machine: the credentials and every sample cross the network "
                    + "unencrypted; use https"));
            if (action.enable) {
                // before anything starts: a store that will never take this host's samples is an error now
                remoteWrites.forEach(rw -> RemoteWriteCheck.check(rw).ifPresent(w -> err.println("warning: " + w)));
            }
        }
        try {
            return new HostShipping(settings.host() != null ? settings.host() : machineHostName(), remoteWrites,
                    Optional.ofNullable(settings.scrapeInterval()));
        } catch (ManagerException e) {
            throw usage(e.getMessage());
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(new CommandLine(this), message);
    }

    /** What {@code hostname} prints: the kernel's name for this machine. */
    private static String machineHostName() {
        try {
            Path kernel = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(kernel)) {
                return Files.readString(kernel).trim();
            }
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            throw new ManagerException("cannot tell this machine's host name (" + e.getMessage() + "); give one with --host");
        }
    }

    private StackRuntime chooseRuntime(HostShipping shipping) {
        String host = dockerHost();
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        Path compose = composeFile();
        RuntimeChoice choice = runtime != null ? runtime
                : remembered != null && remembered.runtime() != null ? RuntimeChoice.valueOf(remembered.runtime())
                : RuntimeChoice.auto;
        switch (choice) {
            case docker:
                return docker(host, compose, timeout, shipping);
            case local:
                return local(compose, timeout, shipping);
            default:
                Optional<String> why = DockerConnection.whyNotAnswering(host);
                if (why.isEmpty()) {
                    return docker(host, compose, timeout, shipping);
                }
                out.println("no Docker API answers at " + host + ": running the stack as local processes");
                return local(compose, timeout, shipping);
        }
    }

    private DockerRuntime docker(String dockerHost, Path compose, Duration timeout, HostShipping shipping) {
        DockerPrometheusConfig prometheusConfig = new DockerPrometheusConfig(shipping, stateDir().resolve("docker"));
        // only an enable creates containers from it: --status and --no-monitoring leave the generated
        // file that the running Prometheus reads as it is
        return new DockerRuntime(dockerHost, gpus -> action.enable ? prometheusConfig.applyTo(loadStack(compose, gpus))
                : loadStack(compose, gpus), timeout, out);
    }

    private LocalRuntime local(Path compose, Duration timeout, HostShipping shipping) {
        return new LocalRuntime(loadStack(compose, false), repoRoot(), stateDir(), timeout, out, shipping);
    }

    private Path stateDir() {
        return Optional.ofNullable(stateDir)
                .or(() -> Optional.ofNullable(environment.get("RESEARCH_MONITOR_STATE")).map(Path::of))
                .orElseGet(() -> Path.of(System.getProperty("user.home"), ".local/share/research-monitor/stack"))
                .toAbsolutePath().normalize();
    }

    /**
     * compose.yaml with its variables: the environment's, under the remembered settings, under the
     * options of this command line.
     */
    private StackDescription loadStack(Path compose, boolean gpus) {
        Map<String, String> variables = new HashMap<>(environment);
        if (remembered != null) {
            remembered.ports().forEach((part, port) -> variables.put(portVariable(part), port.toString()));
            putIfSet(variables, "GRAFANA_USER", remembered.grafanaUser());
        }
        givenPorts().forEach((part, port) -> variables.put(portVariable(part), port.toString()));
        putIfSet(variables, "GRAFANA_USER", grafanaUser);
        putIfSet(variables, "GRAFANA_PASSWORD", grafanaPassword);
        return ComposeFile.load(compose, variables, gpus);
    }

    private static void putIfSet(Map<String, String> variables, String name, Object value) {
        if (value != null) {
            variables.put(name, value.toString());
        }
    }

    private void warnAboutDefaultPassword(StackRuntime stack) {
        String password = grafanaPassword != null ? grafanaPassword : environment.get("GRAFANA_PASSWORD");
        if (stack.name().equals("docker") && (password == null || password.isEmpty() || password.equals("admin"))) {
            err.println("warning: Grafana keeps the default password 'admin' for its admin user; "
                    + "set GRAFANA_PASSWORD to change it");
        }
    }

    private Path composeFile() {
        Path compose = composeFile != null ? composeFile
                : remembered != null && remembered.composeFile() != null ? Path.of(remembered.composeFile())
                : repoRoot().resolve("docker/compose.yaml");
        if (!Files.isRegularFile(compose)) {
            throw new ManagerException("no stack description at " + compose + " (give one with --compose-file)");
        }
        return compose;
    }

    /**
     * The checkout this manager belongs to: {@code researchmon.home} when the launcher sets it, else
     * found from where this class was loaded ({@code manager/target/classes} or the shaded jar in
     * {@code manager/target}), both three levels below the root.
     */
    static Path repoRoot() {
        String home = System.getProperty("researchmon.home");
        if (home != null) {
            return Path.of(home).toAbsolutePath().normalize();
        }
        try {
            Path loadedFrom = Path.of(EnvironmentManager.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return loadedFrom.getParent().getParent().getParent();
        } catch (URISyntaxException e) {
            throw new ManagerException("cannot tell where this checkout is; set -Dresearchmon.home", e);
        }
    }

    /**
     * Without Grafana (the local runtime has none) the dashboard is still to be seen: drawn in a
     * notebook by {@code %dashboard}, and Prometheus's own graph page answers every query.
     */
    private void printWhereToLookWithoutGrafana(List<PartStatus> parts) {
        if (role == Role.central) {
            return; // no Prometheus here: the store answers the same queries, Grafana on Docker reads it
        }
        boolean grafana = parts.stream().anyMatch(p -> p.part().equals("grafana") && p.healthy());
        if (grafana) {
            return;
        }
        Optional<PartStatus> prometheus = parts.stream().filter(p -> p.part().equals("prometheus")).findFirst();
        String graph = prometheus.filter(p -> p.url().startsWith("http"))
                .map(p -> {
                    URI u = URI.create(p.url());
                    return u.getScheme() + "://" + u.getAuthority() + "/graph";
                })
                .orElse("http://127.0.0.1:" + (prometheusPort == null ? 9090 : prometheusPort) + "/graph");
        boolean up = prometheus.map(PartStatus::healthy).orElse(false);
        out.println();
        out.println("Grafana is not available, so the dashboard is elsewhere:");
        out.println("  in a notebook:   %dashboard   (the research dashboard's panels, drawn from Prometheus;"
                + " %dashboard GPUs, %dashboard --range 6h ...)");
        out.println("  in a browser:    " + graph + "   (Prometheus's own graph page)"
                + (up ? "" : " once Prometheus runs: --enable-monitoring"));
    }

    private void printStatus(List<PartStatus> parts) {
        String format = "%-14s %-14s %-40s %s%n";
        out.printf(format, "PART", "STATE", "URL", "DETAIL");
        for (PartStatus part : parts) {
            out.printf(format, part.part(), part.state().name().toLowerCase().replace('_', ' '), part.url(),
                    part.detail());
        }
        out.flush();
    }
}
