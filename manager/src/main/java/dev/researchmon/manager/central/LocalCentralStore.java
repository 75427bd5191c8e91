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
 * <pre>{@code
 * StackRuntime central = new LocalCentralStore(new CentralStore("0.0.0.0", 8428, "90d"), stateDir, Duration.ofSeconds(60), out);
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
    private final HealthProbe probe = new HealthProbe();

    public LocalCentralStore(CentralStore settings, Path stateDir, Duration healthTimeout, PrintWriter out) {
        this.settings = settings;
        this.stateDir = stateDir;
        this.healthTimeout = healthTimeout;
        this.out = out;
        this.supervisor = new ProcessSupervisor(stateDir);
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
            ProcessHandle process = supervisor.start(PART, command(), Map.of(), settings.port());
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
        out.println("hosts ship with: --remote-write " + settings.remoteWriteUrl());
        if (!settings.loopbackOnly()) {
            out.println("warning: VictoriaMetrics takes writes and queries from anyone who reaches " + settings.bind()
                    + ":" + settings.port() + " without asking who; limit it to the research hosts (firewall) or put an "
                    + "authenticating TLS proxy such as vmauth in front, and give the hosts its https URL");
        }
        return status();
    }

    List<String> command() {
        return List.of(VICTORIA_METRICS.toString(),
                "-storageDataPath=" + stateDir.resolve("victoria-metrics/data"),
                "-httpListenAddr=" + settings.bind() + ":" + settings.port(),
                "-retentionPeriod=" + settings.retention(),
                // Hosts send a batch at least every 5 s (batch_send_deadline): data older than 10 s is
                // complete, so queries need not hide the last 30 s as VictoriaMetrics does by default.
                "-search.latencyOffset=10s");
    }

    private URI healthUrl() {
        String host = settings.loopbackOnly() || settings.bind().equals("0.0.0.0") ? "127.0.0.1" : settings.bind();
        return URI.create("http://" + host + ":" + settings.port() + "/health");
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
