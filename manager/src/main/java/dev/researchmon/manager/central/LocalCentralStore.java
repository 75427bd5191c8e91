package dev.researchmon.manager.central;

import dev.researchmon.manager.HealthProbe;
import dev.researchmon.manager.ManagerException;
import dev.researchmon.manager.PartStatus;
import dev.researchmon.manager.PortGuard;
import dev.researchmon.manager.StackRuntime;
import dev.researchmon.manager.local.ProcessSupervisor;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code --role central} as local processes: Debian's VictoriaMetrics single node, the store every
 * host's Prometheus ships to. It takes Prometheus remote write at {@code /api/v1/write} and serves
 * the Prometheus query API, so Grafana (provisioned by the Docker runtime), {@code %metrics} and the
 * dashboard read it as they read a Prometheus. Its data lives in {@code victoria-metrics/data} of
 * the state folder and is kept across stop and start.
 *
 * <p>Its secrets (basic auth and the auth keys, see {@link StoreCredentials}) reach it through its
 * environment, read with {@code -envflag.enable}: a command line is readable by every user of the
 * machine ({@code ps}, {@code /proc/PID/cmdline}), a process's environment only by its owner. Its log
 * shows them as "secret".
 *
 * <pre>{@code
 * StackRuntime central = new LocalCentralStore(store, stateDir, Duration.ofSeconds(60), out);
 * central.enable();
 * }</pre>
 */
public final class LocalCentralStore implements StackRuntime {
    static final Path VICTORIA_METRICS = Path.of("/usr/bin/victoria-metrics");
    static final String PART = "victoria-metrics";

    private final CentralStore settings;
    private final Path stateDir;
    private final Duration healthTimeout;
    private final PrintWriter out;
    private final ProcessSupervisor supervisor;
    private final HealthProbe probe;

    public LocalCentralStore(CentralStore settings, Path stateDir, Duration healthTimeout, PrintWriter out) {
        this.settings = settings;
        this.stateDir = stateDir;
        this.healthTimeout = healthTimeout;
        this.out = out;
        this.supervisor = new ProcessSupervisor(stateDir);
        this.probe = settings.tls().map(t -> new HealthProbe(PinnedCertificate.context(t.certificate())))
                .orElseGet(HealthProbe::new);
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public List<PartStatus> enable() {
        supervisor.forgetIfDead(PART);
        Optional<ProcessHandle> running = supervisor.running(PART);
        if (running.isPresent()) {
            out.println(PART + ": already running (pid " + running.get().pid() + ")");
        } else {
            if (!Files.isExecutable(VICTORIA_METRICS)) {
                throw new ManagerException(PART + " cannot start: " + VICTORIA_METRICS + " is missing; run bin/setup first "
                        + "(it installs Debian's victoria-metrics)");
            }
            if (!PortGuard.isFree(settings.port())) {
                throw PortGuard.taken(settings.port(), PART, "--store-port");
            }
            ProcessHandle process = supervisor.start(PART, command(), environment(), settings.port());
            out.println(PART + ": started (pid " + process.pid() + "), " + healthUrl() + ", log " + supervisor.logFile(PART));
            out.flush();
            Map<String, URI> unhealthy = probe.awaitHealthy(Map.of(PART, healthUrl()), healthTimeout,
                    () -> supervisor.running(PART).isPresent() ? null : PART);
            if (supervisor.running(PART).isEmpty()) {
                throw new ManagerException(PART + " exited during start-up; see " + supervisor.logFile(PART) + lastLines());
            }
            if (!unhealthy.isEmpty()) {
                supervisor.stop(PART);
                throw new ManagerException(PART + " not healthy after " + healthTimeout.toSeconds() + " s; see "
                        + supervisor.logFile(PART));
            }
        }
        return status();
    }

    /** Secrets are not here: see {@link #environment()}. */
    List<String> command() {
        List<String> command = new ArrayList<>(List.of(VICTORIA_METRICS.toString(),
                "-storageDataPath=" + stateDir.resolve("victoria-metrics/data"),
                "-httpListenAddr=" + settings.bind() + ":" + settings.port(),
                "-retentionPeriod=" + settings.retention(),
                // Hosts send a batch at least every 5 s (batch_send_deadline): data older than 10 s is
                // complete, so queries need not hide the last 30 s as VictoriaMetrics does by default.
                "-search.latencyOffset=10s",
                // the credentials come from the environment (never the command line)
                "-envflag.enable"));
        settings.tls().ifPresent(t -> command.addAll(List.of("-tls", "-tlsCertFile=" + t.certFile(),
                "-tlsKeyFile=" + t.keyFile())));
        return command;
    }

    /** The store's secrets, as -envflag.enable reads them; nothing at all for --store-no-auth. */
    Map<String, String> environment() {
        return settings.credentials().map(StoreCredentials::victoriaMetricsEnvironment).orElse(Map.of());
    }

    private URI healthUrl() {
        String host = settings.loopbackOnly() || settings.bind().equals("0.0.0.0") ? "127.0.0.1" : settings.bind();
        return URI.create(settings.scheme() + "://" + host + ":" + settings.port() + "/health");
    }

    @Override
    public void disable() {
        boolean wasRunning = supervisor.stop(PART);
        out.println(PART + ": " + (wasRunning ? "stopped" : "not running"));
        out.println("data kept in " + stateDir.resolve("victoria-metrics/data"));
        out.flush();
    }

    @Override
    public List<PartStatus> status() {
        Optional<ProcessHandle> process = supervisor.running(PART);
        PartStatus store;
        if (process.isEmpty()) {
            store = new PartStatus(PART, healthUrl().toString(), PartStatus.State.STOPPED, "");
        } else {
            store = new PartStatus(PART, healthUrl().toString(),
                    probe.healthy(healthUrl()) ? PartStatus.State.HEALTHY : PartStatus.State.UNHEALTHY,
                    "pid " + process.get().pid() + ", remote write " + settings.remoteWriteUrl());
        }
        return List.of(store, new PartStatus("grafana", "-", PartStatus.State.NOT_AVAILABLE,
                "not available locally: Grafana is not packaged for Debian; use --runtime docker"));
    }

    private String lastLines() {
        try {
            List<String> lines = Files.readAllLines(supervisor.logFile(PART));
            return ":\n  " + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }
}
