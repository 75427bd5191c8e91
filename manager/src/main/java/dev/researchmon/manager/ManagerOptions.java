package dev.researchmon.manager;

import dev.researchmon.manager.central.StoreCredentials;
import dev.researchmon.manager.docker.DockerConnection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * The command line of {@code environment-manager}, exactly as given: a field is null (or false, or
 * empty) when its option was not given, so that {@link SettingsResolver} can tell "not said" from "said
 * the default" and let stack.json speak. Defaults live in the resolver, not here; the help texts name
 * them.
 *
 * <pre>{@code
 * ManagerOptions options = new ManagerOptions();
 * new CommandLine(options).parseArgs("--status", "--prometheus-port", "19090");
 * options.givenPorts();   // {prometheus=19090}
 * }</pre>
 */
public final class ManagerOptions {
    /** auto: docker where a Docker API answers, local otherwise. */
    public enum RuntimeChoice {
        auto,
        docker,
        local
    }

    /** host: a research host's stack (the default); central: the store and dashboards many hosts ship to. */
    public enum Role {
        host,
        central
    }

    /** Exactly one of the three is given. */
    public static final class Action {
        @Option(
                names = "--enable-monitoring",
                required = true,
                description = "Bring the stack up and wait until each part is healthy.")
        public boolean enable;

        @Option(
                names = "--no-monitoring",
                required = true,
                description = "Take the stack down; data volumes and folders are kept.")
        public boolean disable;

        @Option(names = "--status", required = true, description = "Show each part, its URL and health.")
        public boolean status;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    public Action action = new Action();

    @Option(
            names = "--runtime",
            paramLabel = "auto|docker|local",
            description =
                    "docker: a Docker API; local: local processes; auto: docker where a Docker API answers, local otherwise "
                            + "(default: the runtime the stack was last enabled with, else auto).")
    public RuntimeChoice runtime;

    @Option(
            names = "--grafana-user",
            paramLabel = "USER",
            description =
                    "Grafana admin user (default: $GRAFANA_USER, else the one the stack was last enabled with, else admin).")
    public String grafanaUser;

    @Option(
            names = "--grafana-password",
            paramLabel = "PASSWORD",
            description =
                    "Grafana admin password. Prefer $GRAFANA_PASSWORD: a password given here shows in the process list.")
    public String grafanaPassword;

    @Option(
            names = "--docker-host",
            paramLabel = "URL",
            description =
                    "Docker API address (default: $DOCKER_HOST, else the one the stack was last enabled with, else "
                            + DockerConnection.DEFAULT_HOST + ").")
    public String dockerHost;

    @Option(
            names = "--compose-file",
            paramLabel = "FILE",
            description = "The stack description (default: the one given when the stack was last enabled, else "
                    + "docker/compose.yaml of this checkout).")
    public Path composeFile;

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            description =
                    "How the stack was last enabled (stack.json); for the local runtime also pid files, logs, generated config "
                            + "and data (default: $RESEARCH_MONITOR_STATE, else ~/.local/share/research-monitor/stack).")
    public Path stateDir;

    @Option(
            names = "--timeout",
            defaultValue = "120",
            paramLabel = "SECONDS",
            description = "How long to wait for the parts to be healthy (default: ${DEFAULT-VALUE}).")
    public int timeoutSeconds;

    @Option(
            names = "--role",
            defaultValue = "host",
            paramLabel = "host|central",
            description =
                    "host (default): this machine's stack; central: the store every host ships to (VictoriaMetrics) "
                            + "and, on Docker, Grafana reading it.")
    public Role role;

    @Option(
            names = "--store-port",
            paramLabel = "PORT",
            description = "--role central: the port VictoriaMetrics takes remote write and queries on (default: "
                    + SettingsResolver.STORE_PORT + ").")
    public Integer storePort;

    @Option(
            names = "--store-bind",
            paramLabel = "ADDRESS",
            description = "--role central: the address it listens on (default: " + SettingsResolver.STORE_BIND
                    + ", every interface: the hosts are other machines).")
    public String storeBind;

    @Option(
            names = "--store-retention",
            paramLabel = "DURATION",
            description = "--role central: how long the store keeps samples (default: "
                    + SettingsResolver.STORE_RETENTION + ").")
    public String storeRetention;

    @Option(
            names = "--store-user",
            paramLabel = "USER",
            description = "--role central: the user hosts and Grafana authenticate as (default: "
                    + StoreCredentials.DEFAULT_USER + ").")
    public String storeUser;

    @Option(
            names = "--store-password-file",
            paramLabel = "FILE",
            description = "--role central: a file holding that user's password (default: STATE_DIR/"
                    + StoreCredentials.PASSWORD_FILE
                    + ", made with a random password on the first enable, mode 600, and reused).")
    public Path storePasswordFile;

    @Option(
            names = "--store-tls-cert",
            paramLabel = "FILE",
            description =
                    "--role central: serve https with this PEM certificate (with --store-tls-key); hosts trust it with --remote-write-ca-file.")
    public Path storeTlsCert;

    @Option(
            names = "--store-tls-key",
            paramLabel = "FILE",
            description = "--role central: the PEM private key of --store-tls-cert.")
    public Path storeTlsKey;

    @Option(
            names = "--store-no-auth",
            description =
                    "--role central: let anyone who reaches the store write, read and delete without credentials. Not recommended.")
    public boolean storeNoAuth;

    @Option(
            names = "--host",
            paramLabel = "NAME",
            description =
                    "This host's name on every series shipped to a central store (default: the machine's host name).")
    public String host;

    @Option(
            names = "--remote-write",
            paramLabel = "URL",
            description = "Ship everything this host's Prometheus collects to a central store's remote-write URL "
                    + "(VictoriaMetrics: http://central:8428/api/v1/write; Prometheus: .../api/v1/write). "
                    + "Repeat it to ship to several stores, each with its own queue.")
    public List<String> remoteWriteUrls = new ArrayList<>();

    @Option(
            names = "--no-remote-write",
            description = "Ship nowhere: forget the remote write the stack was last enabled with.")
    public boolean noRemoteWrite;

    @Option(
            names = "--remote-write-bearer-token-file",
            paramLabel = "FILE",
            description =
                    "A file holding the bearer token the store asks for (read by Prometheus; never on a command line).")
    public Path bearerTokenFile;

    @Option(
            names = "--remote-write-basic-auth-user",
            paramLabel = "USER",
            description = "User for a store that asks for basic auth.")
    public String basicAuthUser;

    @Option(
            names = "--remote-write-password-file",
            paramLabel = "FILE",
            description = "A file holding that user's password.")
    public Path passwordFile;

    @Option(
            names = "--remote-write-ca-file",
            paramLabel = "FILE",
            description = "CA certificate that signed an https store's certificate, when the system's CAs did not.")
    public Path caFile;

    @Option(
            names = "--scrape-interval",
            paramLabel = "DURATION",
            description =
                    "How often Prometheus scrapes and evaluates rules (default: as monitoring/prometheus/prometheus.yml says, 15s).")
    public String scrapeInterval;

    @Option(names = "--prometheus-port", paramLabel = "PORT", description = "Host port of Prometheus (default 9090).")
    public Integer prometheusPort;

    @Option(
            names = "--alertmanager-port",
            paramLabel = "PORT",
            description = "Host port of Alertmanager (default 9093).")
    public Integer alertmanagerPort;

    @Option(names = "--grafana-port", paramLabel = "PORT", description = "Host port of Grafana (default 3000).")
    public Integer grafanaPort;

    @Option(
            names = "--node-exporter-port",
            paramLabel = "PORT",
            description = "Host port of node-exporter (default 9100).")
    public Integer nodeExporterPort;

    @Option(names = "--cadvisor-port", paramLabel = "PORT", description = "Host port of cAdvisor (default 8080).")
    public Integer cadvisorPort;

    @Option(names = "--jupyter-port", paramLabel = "PORT", description = "Host port of Jupyter (default 8888).")
    public Integer jupyterPort;

    @Option(
            names = "--sidecar-port",
            paramLabel = "PORT",
            description = "Host port of the metrics sidecar (default 9464).")
    public Integer sidecarPort;

    /** Part name to the port its --PART-port option gave, for the options given, in compose order. */
    public Map<String, Integer> givenPorts() {
        Map<String, Integer> ports = portOptions();
        ports.values().removeIf(Objects::isNull);
        return ports;
    }

    /** Every part that has a --PART-port option, to its value (null when not given). */
    Map<String, Integer> portOptions() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("prometheus", prometheusPort);
        ports.put("alertmanager", alertmanagerPort);
        ports.put("grafana", grafanaPort);
        ports.put("node-exporter", nodeExporterPort);
        ports.put("cadvisor", cadvisorPort);
        ports.put("jupyter", jupyterPort);
        ports.put("sidecar", sidecarPort);
        return ports;
    }

    /** Whether any --remote-write* option was given (--no-remote-write aside). */
    public boolean remoteWriteGiven() {
        return !remoteWriteUrls.isEmpty()
                || bearerTokenFile != null
                || basicAuthUser != null
                || passwordFile != null
                || caFile != null;
    }
}
