package dev.researchmon.manager.local;

import dev.researchmon.manager.HealthProbe;
import dev.researchmon.manager.ManagerException;
import dev.researchmon.manager.PartStatus;
import dev.researchmon.manager.PortGuard;
import dev.researchmon.manager.StackRuntime;
import dev.researchmon.manager.central.CentralStore;
import dev.researchmon.manager.prometheus.HostShipping;
import dev.researchmon.manager.stack.HealthEndpoint;
import dev.researchmon.manager.stack.PortBinding;
import dev.researchmon.manager.stack.ServiceSpec;
import dev.researchmon.manager.stack.StackDescription;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * The stack as local processes, for machines without a container engine: Debian's Prometheus and
 * node-exporter, the metrics sidecar and a Jupyter server with the research kernel, on the ports
 * that docker/compose.yaml publishes, bound to loopback. Everything lives in one state folder:
 * {@code run/} (pid records), {@code logs/}, {@code prometheus/} (generated config and data, kept
 * across stop and start) and {@code jupyter/} (kernelspec, runtime files, token).
 * Grafana and cAdvisor have no local form and are reported as not available, with the reason.
 * The central store ({@code --role central}) runs the same way, from compose.central.yaml.
 * What each part needs and how it starts is its own {@link LocalPart}, registered in {@link LocalParts};
 * this class only orders, checks, starts, stops and probes them: it is the one place where a
 * detached, logged process is started and waited on until healthy ({@link ProcessSupervisor} keeps
 * its pid record and log).
 *
 * <pre>{@code
 * StackRuntime local = new LocalRuntime(stack, repoRoot, stateDir, Duration.ofSeconds(90), out);
 * local.enable();
 * StackRuntime store = LocalRuntime.centralStore(centralStack, store, repoRoot, stateDir, timeout, out);
 * }</pre>
 */
public final class LocalRuntime implements StackRuntime {
    private final StackDescription stack;
    private final Path repoRoot;
    private final Path stateDir;
    private final Duration healthTimeout;
    private final PrintWriter out;
    private final ProcessSupervisor supervisor;
    private final HealthProbe probe;
    private final HostShipping shipping;
    private final List<LocalPart> parts;

    public LocalRuntime(StackDescription stack, Path repoRoot, Path stateDir, Duration healthTimeout, PrintWriter out) {
        this(
                stack,
                repoRoot,
                stateDir,
                healthTimeout,
                out,
                new HostShipping("localhost", Optional.empty(), Optional.empty()));
    }

    /** @param shipping the host label and the remote write to a central store that Prometheus gets */
    public LocalRuntime(
            StackDescription stack,
            Path repoRoot,
            Path stateDir,
            Duration healthTimeout,
            PrintWriter out,
            HostShipping shipping) {
        this(stack, LocalParts.hostStack(), new HealthProbe(), repoRoot, stateDir, healthTimeout, out, shipping);
    }

    /**
     * The central store as local processes: VictoriaMetrics, from {@code centralStack}
     * (compose.central.yaml, its port and address as {@code store} says), asked for its health over
     * https with its own certificate where it serves https.
     */
    public static LocalRuntime centralStore(
            StackDescription centralStack,
            CentralStore store,
            Path repoRoot,
            Path stateDir,
            Duration healthTimeout,
            PrintWriter out) {
        return new LocalRuntime(
                centralStack,
                LocalParts.centralStore(store),
                store.healthProbe(),
                repoRoot,
                stateDir,
                healthTimeout,
                out,
                new HostShipping("localhost", Optional.empty(), Optional.empty()));
    }

    private LocalRuntime(
            StackDescription stack,
            List<LocalPart> parts,
            HealthProbe probe,
            Path repoRoot,
            Path stateDir,
            Duration healthTimeout,
            PrintWriter out,
            HostShipping shipping) {
        this.parts = parts;
        this.probe = probe;
        this.shipping = shipping;
        this.stack = stack;
        this.repoRoot = repoRoot;
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
        LocalContext context = context();
        List<LocalPart> toStart = new ArrayList<>();
        for (LocalPart part : runnableParts(context)) {
            supervisor.forgetIfDead(part.name());
            Optional<ProcessHandle> running = supervisor.running(part.name());
            if (running.isPresent()) {
                out.println(
                        part.name() + ": already running (pid " + running.get().pid() + ")");
            } else {
                toStart.add(part);
            }
        }
        // Check everything before starting anything, so that a bad set-up leaves nothing half-up.
        for (LocalPart part : List.copyOf(toStart)) {
            for (Path needed : part.needs(context)) {
                if (!Files.exists(needed)) {
                    throw new ManagerException(
                            part.name() + " cannot start: " + needed + " is missing; run bin/setup first");
                }
            }
            int port = context.port(part.name());
            if (!PortGuard.isFree(port)) {
                OptionalLong adopted = part.runningOutside(port);
                if (adopted.isEmpty()) {
                    throw PortGuard.taken(port, part.name(), part.portOption());
                }
                // e.g. a sidecar started by a kernel's %monitoring on: the same launcher and flags, so it is used
                out.println(part.name() + ": already running (pid " + adopted.getAsLong() + ", not started here: "
                        + "adopted, and left running by --no-monitoring)");
                toStart.remove(part);
            }
        }
        try {
            for (LocalPart part : toStart) {
                part.prepare(context);
                int port = context.port(part.name());
                ProcessHandle process =
                        supervisor.start(part.name(), part.command(context, port), part.environment(context), port);
                out.println(part.name() + ": started (pid " + process.pid() + "), " + url(context, part) + ", log "
                        + supervisor.logFile(part.name()));
            }
            out.flush();
            awaitHealthy(context);
        } catch (RuntimeException e) {
            // what this call started goes down again, so a failed enable leaves things as they were
            toStart.forEach(p -> supervisor.stop(p.name()));
            throw e;
        }
        return status();
    }

    private void awaitHealthy(LocalContext context) {
        Map<String, URI> endpoints = new LinkedHashMap<>();
        runnableParts(context).forEach(p -> endpoints.put(p.name(), url(context, p)));
        Map<String, URI> unhealthy = probe.awaitHealthy(endpoints, healthTimeout, this::diedPart);
        String died = diedPart();
        if (died != null) {
            throw new ManagerException(
                    died + " exited during start-up; see " + supervisor.logFile(died) + lastLines(died));
        }
        if (!unhealthy.isEmpty()) {
            throw new ManagerException("not healthy after " + healthTimeout.toSeconds() + " s: "
                    + unhealthy.entrySet().stream()
                            .map(e ->
                                    e.getKey() + " (" + e.getValue() + ", log " + supervisor.logFile(e.getKey()) + ")")
                            .collect(Collectors.joining(", ")));
        }
    }

    @Override
    public void disable() {
        LocalContext context = context();
        List<LocalPart> stopOrder = new ArrayList<>(parts);
        Collections.reverse(stopOrder);
        for (LocalPart part : stopOrder) {
            boolean wasRunning = supervisor.stop(part.name());
            out.println(part.name() + ": " + (wasRunning ? "stopped" : "not running"));
        }
        for (LocalPart part : parts) {
            part.dataDir(context).filter(Files::isDirectory).ifPresent(dir -> out.println("data kept in " + dir));
        }
        out.flush();
    }

    @Override
    public List<PartStatus> status() {
        LocalContext context = context();
        List<PartStatus> statuses = new ArrayList<>();
        for (ServiceSpec service : stack.services()) {
            for (HealthEndpoint health : service.health()) {
                String name = health.part();
                Optional<LocalPart> local = LocalParts.named(parts, name);
                Optional<String> unavailable = local.isEmpty()
                        ? Optional.of(LocalParts.whyNotLocal(service.name()))
                        : local.get().whyNotRunnable(context);
                if (unavailable.isPresent()) {
                    statuses.add(new PartStatus(name, "-", PartStatus.State.NOT_AVAILABLE, unavailable.get()));
                    continue;
                }
                String url = url(context, local.get()).toString();
                Optional<ProcessHandle> process = supervisor.running(name);
                OptionalLong adopted =
                        process.isEmpty() ? local.get().runningOutside(context.port(name)) : OptionalLong.empty();
                if (adopted.isPresent()) {
                    statuses.add(new PartStatus(
                            name,
                            url,
                            PartStatus.State.HEALTHY,
                            "pid " + adopted.getAsLong() + ", adopted (not started by the manager)"));
                } else if (process.isEmpty()) {
                    statuses.add(new PartStatus(name, url, PartStatus.State.STOPPED, ""));
                } else {
                    boolean healthy = probe.healthy(URI.create(url));
                    String detail = local.get().statusDetail(context);
                    statuses.add(new PartStatus(
                            name,
                            url,
                            healthy ? PartStatus.State.HEALTHY : PartStatus.State.UNHEALTHY,
                            "pid " + process.get().pid() + (detail.isEmpty() ? "" : ", " + detail)));
                }
            }
        }
        return statuses;
    }

    /**
     * What the parts see of this runtime; each part's port is the one it runs on (from its pid
     * record) or else the one compose.yaml publishes for it, as configured.
     */
    private LocalContext context() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        LocalContext bare = new LocalContext(repoRoot, stateDir, stack, Map.of(), shipping, supervisor, out);
        for (LocalPart part : parts) {
            if (part.whyNotRunnable(bare).isEmpty()) {
                ports.put(part.name(), port(part.name()));
            }
        }
        return new LocalContext(repoRoot, stateDir, stack, ports, shipping, supervisor, out);
    }

    private int port(String name) {
        Optional<Integer> running = supervisor
                .readRecord(name)
                .filter(r -> supervisor.running(name).isPresent())
                .map(PidRecord::port);
        if (running.isPresent()) {
            return running.get();
        }
        for (ServiceSpec service : stack.services()) {
            for (HealthEndpoint health : service.health()) {
                if (health.part().equals(name)) {
                    return service.published(health.containerPort())
                            .map(PortBinding::hostPort)
                            .orElseThrow(() -> new ManagerException("docker/compose.yaml publishes no port for " + name
                                    + " (container port " + health.containerPort() + ")"));
                }
            }
        }
        throw new ManagerException("docker/compose.yaml has no x-health entry for part '" + name + "'");
    }

    private static URI url(LocalContext context, LocalPart part) {
        ServiceSpec service = context.serviceOf(part.name());
        HealthEndpoint health = service.health().stream()
                .filter(h -> h.part().equals(part.name()))
                .findFirst()
                .orElseThrow();
        return part.healthUrl(context.port(part.name()), health.path());
    }

    /** The local parts that can run here, in start order. */
    private List<LocalPart> runnableParts(LocalContext context) {
        return parts.stream().filter(p -> context.ports().containsKey(p.name())).toList();
    }

    private String diedPart() {
        for (LocalPart part : parts) {
            if (supervisor.readRecord(part.name()).isPresent()
                    && supervisor.running(part.name()).isEmpty()) {
                return part.name();
            }
        }
        return null;
    }

    /** The end of a part's log, indented under the message that names it. */
    private String lastLines(String part) {
        List<String> tail = supervisor.logTail(part, 5);
        return tail.isEmpty() ? "" : ":\n  " + String.join("\n  ", tail);
    }
}
