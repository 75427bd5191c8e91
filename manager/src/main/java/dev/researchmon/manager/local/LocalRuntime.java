package dev.researchmon.manager.local;

import dev.researchmon.manager.HealthProbe;
import dev.researchmon.manager.ManagerException;
import dev.researchmon.manager.PartStatus;
import dev.researchmon.manager.PortGuard;
import dev.researchmon.manager.StackRuntime;
import dev.researchmon.manager.prometheus.HostShipping;
import dev.researchmon.manager.stack.HealthEndpoint;
import dev.researchmon.manager.stack.PortBinding;
import dev.researchmon.manager.stack.ServiceSpec;
import dev.researchmon.manager.stack.StackDescription;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The stack as local processes, for machines without a container engine: Debian's Prometheus and
 * node-exporter, the metrics sidecar and a Jupyter server with the research kernel, on the ports
 * that docker/compose.yaml publishes, bound to loopback. Everything lives in one state folder:
 * {@code run/} (pid records), {@code logs/}, {@code prometheus/} (generated config and data, kept
 * across stop and start) and {@code jupyter/} (kernelspec, runtime files, token).
 * Grafana and cAdvisor have no local form and are reported as not available, with the reason.
 *
 * <pre>{@code
 * StackRuntime local = new LocalRuntime(stack, repoRoot, stateDir, Duration.ofSeconds(90), out);
 * local.enable();
 * }</pre>
 */
public final class LocalRuntime implements StackRuntime {
    static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    static final Path NODE_EXPORTER = Path.of("/usr/bin/prometheus-node-exporter");
    static final Path JUPYTER = Path.of("/usr/bin/jupyter");
    static final Path ALERTMANAGER = Path.of("/usr/bin/prometheus-alertmanager");

    /** Start order: the scraped parts first, so that Prometheus's first scrape finds them up. */
    private static final List<String> START_ORDER = List.of("node-exporter", "sidecar", "jupyter", "alertmanager", "prometheus");

    private static final Map<String, String> NOT_LOCAL = Map.of(
            "grafana", "not available locally: Grafana is not packaged for Debian; use --runtime docker",
            "cadvisor", "not available locally: cAdvisor reports on containers and no container engine runs here");

    private final StackDescription stack;
    private final Path repoRoot;
    private final Path stateDir;
    private final Duration healthTimeout;
    private final PrintWriter out;
    private final ProcessSupervisor supervisor;
    private final HealthProbe probe = new HealthProbe();
    private final HostShipping shipping;

    public LocalRuntime(StackDescription stack, Path repoRoot, Path stateDir, Duration healthTimeout, PrintWriter out) {
        this(stack, repoRoot, stateDir, healthTimeout, out, new HostShipping("localhost", Optional.empty(), Optional.empty()));
    }

    /** @param shipping the host label and the remote write to a central store that Prometheus gets */
    public LocalRuntime(StackDescription stack, Path repoRoot, Path stateDir, Duration healthTimeout, PrintWriter out,
                        HostShipping shipping) {
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

    /** One health part of a compose service, with the loopback port it gets locally. */
    private record Part(String name, ServiceSpec service, HealthEndpoint health, int port) {
        URI url() {
            return URI.create("http://127.0.0.1:" + port + health.path());
        }
    }

    @Override
    public List<PartStatus> enable() {
        List<Part> toStart = new ArrayList<>();
        for (String name : runnableParts()) {
            Part part = part(name);
            supervisor.forgetIfDead(name);
            Optional<ProcessHandle> running = supervisor.running(name);
            if (running.isPresent()) {
                out.println(name + ": already running (pid " + running.get().pid() + ")");
            } else {
                toStart.add(part);
            }
        }
        // Check everything before starting anything, so that a bad set-up leaves nothing half-up.
        for (Part part : List.copyOf(toStart)) {
            requireInstalled(part.name());
            if (!PortGuard.isFree(part.port())) {
                OptionalLong sidecar = part.name().equals("sidecar") ? ProjectSidecar.pidOn(part.port())
                        : OptionalLong.empty();
                if (sidecar.isEmpty()) {
                    throw PortGuard.taken(part.port(), part.name(), "--" + part.name() + "-port");
                }
                // e.g. started by a kernel's %monitoring on: the same launcher and flags, so it is used
                out.println("sidecar: already running (pid " + sidecar.getAsLong() + ", not started here: "
                        + "adopted, and left running by --no-monitoring)");
                toStart.remove(part);
            }
        }
        try {
            for (Part part : toStart) {
                List<String> command = command(part);
                ProcessHandle process = supervisor.start(part.name(), command, environment(part), part.port());
                out.println(part.name() + ": started (pid " + process.pid() + "), " + part.url()
                        + ", log " + supervisor.logFile(part.name()));
            }
            out.flush();
            awaitHealthy();
        } catch (RuntimeException e) {
            // what this call started goes down again, so a failed enable leaves things as they were
            toStart.forEach(p -> supervisor.stop(p.name()));
            throw e;
        }
        return status();
    }

    private void awaitHealthy() {
        Map<String, URI> endpoints = new LinkedHashMap<>();
        runnableParts().forEach(n -> endpoints.put(n, part(n).url()));
        Map<String, URI> unhealthy = probe.awaitHealthy(endpoints, healthTimeout, this::diedPart);
        String died = diedPart();
        if (died != null) {
            throw new ManagerException(died + " exited during start-up; see " + supervisor.logFile(died)
                    + lastLines(supervisor.logFile(died)));
        }
        if (!unhealthy.isEmpty()) {
            throw new ManagerException("not healthy after " + healthTimeout.toSeconds() + " s: "
                    + unhealthy.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ", log "
                    + supervisor.logFile(e.getKey()) + ")").collect(Collectors.joining(", ")));
        }
    }

    @Override
    public void disable() {
        List<String> stopOrder = new ArrayList<>(START_ORDER);
        java.util.Collections.reverse(stopOrder);
        for (String name : stopOrder) {
            boolean wasRunning = supervisor.stop(name);
            out.println(name + ": " + (wasRunning ? "stopped" : "not running"));
        }
        out.println("data kept in " + stateDir.resolve("prometheus/data"));
        out.flush();
    }

    @Override
    public List<PartStatus> status() {
        List<PartStatus> parts = new ArrayList<>();
        for (ServiceSpec service : stack.services()) {
            for (HealthEndpoint health : service.health()) {
                String name = health.part();
                Optional<String> unavailable = whyNotRunnable(service, name);
                if (unavailable.isPresent()) {
                    parts.add(new PartStatus(name, "-", PartStatus.State.NOT_AVAILABLE, unavailable.get()));
                    continue;
                }
                Part part = part(name);
                Optional<ProcessHandle> process = supervisor.running(name);
                OptionalLong adopted = process.isEmpty() && name.equals("sidecar")
                        ? ProjectSidecar.pidOn(part.port()) : OptionalLong.empty();
                if (adopted.isPresent()) {
                    parts.add(new PartStatus(name, part.url().toString(), PartStatus.State.HEALTHY,
                            "pid " + adopted.getAsLong() + ", adopted (not started by the manager)"));
                } else if (process.isEmpty()) {
                    parts.add(new PartStatus(name, part.url().toString(), PartStatus.State.STOPPED, ""));
                } else {
                    boolean healthy = probe.healthy(part.url());
                    String detail = "pid " + process.get().pid() + (name.equals("jupyter")
                            ? ", token in " + tokenFile() : "");
                    parts.add(new PartStatus(name, part.url().toString(),
                            healthy ? PartStatus.State.HEALTHY : PartStatus.State.UNHEALTHY, detail));
                }
            }
        }
        return parts;
    }

    private Part part(String name) {
        for (ServiceSpec service : stack.services()) {
            for (HealthEndpoint health : service.health()) {
                if (health.part().equals(name)) {
                    int port = supervisor.readRecord(name).filter(r -> supervisor.running(name).isPresent())
                            .map(PidRecord::port)
                            .orElseGet(() -> service.published(health.containerPort()).map(PortBinding::hostPort)
                                    .orElseThrow(() -> new ManagerException("docker/compose.yaml publishes no port for "
                                            + name + " (container port " + health.containerPort() + ")")));
                    return new Part(name, service, health, port);
                }
            }
        }
        throw new ManagerException("docker/compose.yaml has no x-health entry for part '" + name + "'");
    }

    /** The local parts that can run here, in start order. */
    private List<String> runnableParts() {
        return START_ORDER.stream().filter(n -> whyNotRunnable(part(n).service(), n).isEmpty()).toList();
    }

    /**
     * Why a part cannot run locally: no local form (Grafana, cAdvisor), or the sidecar's jar is not
     * built yet. The sidecar is optional here so that the rest of the stack still comes up from a
     * checkout where only part of the build is done; Prometheus, node-exporter and Jupyter are required.
     */
    private Optional<String> whyNotRunnable(ServiceSpec service, String name) {
        if (!START_ORDER.contains(name)) {
            return Optional.of(NOT_LOCAL.getOrDefault(service.name(), "not available locally: no local equivalent"));
        }
        if (name.equals("sidecar") && !Files.exists(sidecarJar())) {
            return Optional.of("not built: " + sidecarJar() + " is missing; run bin/setup");
        }
        return Optional.empty();
    }

    private Path sidecarJar() {
        return repoRoot.resolve("sidecar/target/metrics-sidecar.jar");
    }

    private void requireInstalled(String part) {
        Path needed = switch (part) {
            case "prometheus" -> PROMETHEUS;
            case "node-exporter" -> NODE_EXPORTER;
            case "jupyter" -> JUPYTER;
            case "alertmanager" -> ALERTMANAGER;
            case "sidecar" -> sidecarJar();
            default -> throw new IllegalArgumentException(part);
        };
        if (!Files.exists(needed)) {
            throw new ManagerException(part + " cannot start: " + needed + " is missing; run bin/setup first");
        }
    }

    private List<String> command(Part part) {
        int port = part.port();
        List<String> command = new ArrayList<>();
        switch (part.name()) {
            case "prometheus" -> {
                Path config = generatePrometheusConfig();
                command.addAll(List.of(PROMETHEUS.toString(), "--config.file=" + config,
                        "--storage.tsdb.path=" + stateDir.resolve("prometheus/data"),
                        "--web.listen-address=127.0.0.1:" + port));
                // the compose command's other flags (retention first of all) apply here as well
                part.service().command().stream()
                        .filter(a -> !a.startsWith("--config.file") && !a.startsWith("--storage.tsdb.path")
                                && !a.startsWith("--web.listen-address"))
                        .forEach(command::add);
            }
            case "node-exporter" -> {
                command.addAll(List.of(NODE_EXPORTER.toString(), "--web.listen-address=127.0.0.1:" + port));
                // collector switches carry over; the container's /host paths do not
                part.service().command().stream().filter(a -> a.startsWith("--no-collector.")
                        || a.startsWith("--collector.")).forEach(command::add);
            }
            case "alertmanager" -> {
                String config = part.service().flag("--config.file").orElse("/etc/alertmanager/alertmanager.yml");
                command.addAll(List.of(ALERTMANAGER.toString(),
                        "--config.file=" + part.service().hostPath(config),
                        "--storage.path=" + stateDir.resolve("alertmanager/data"),
                        "--web.listen-address=127.0.0.1:" + port,
                        // one Alertmanager, no cluster: do not open the gossip port
                        "--cluster.listen-address="));
            }
            case "sidecar" -> command.addAll(List.of(repoRoot.resolve("bin/metrics-sidecar").toString(),
                    "--port", String.valueOf(port), "--bind", "127.0.0.1"));
            case "jupyter" -> {
                installKernel();
                Path notebooks = repoRoot.resolve("notebooks");
                command.addAll(List.of(JUPYTER.toString(), "notebook", "--no-browser", "--ip=127.0.0.1",
                        "--port=" + port, "--port-retries=0",
                        // Jupyter refuses root without this; the Docker image runs it as a plain user
                        "--allow-root",
                        // Prometheus scrapes /metrics without a login, as in the research image
                        "--NotebookApp.authenticate_prometheus=False",
                        "--notebook-dir=" + (Files.isDirectory(notebooks) ? notebooks : stateDir)));
            }
            default -> throw new IllegalArgumentException(part.name());
        }
        return command;
    }

    private Map<String, String> environment(Part part) {
        if (!part.name().equals("jupyter")) {
            return Map.of();
        }
        Map<String, String> env = new LinkedHashMap<>(jupyterDirs());
        env.put("JUPYTER_TOKEN", token()); // in the environment, not argv, where ps would show it
        // kernels inherit these: %monitoring reports to this sidecar, %metrics asks this Prometheus
        env.put("RESEARCH_MONITOR_SIDECAR_URL", "http://127.0.0.1:" + part("sidecar").port());
        env.put("RESEARCH_MONITOR_PROMETHEUS_URL", "http://127.0.0.1:" + part("prometheus").port());
        return env;
    }

    private Map<String, String> jupyterDirs() {
        Path jupyter = stateDir.resolve("jupyter");
        return Map.of("JUPYTER_DATA_DIR", jupyter.resolve("data").toString(),
                "JUPYTER_CONFIG_DIR", jupyter.resolve("config").toString(),
                "JUPYTER_RUNTIME_DIR", jupyter.resolve("runtime").toString());
    }

    private Path generatePrometheusConfig() {
        Map<String, String> targets = new LinkedHashMap<>();
        for (String name : runnableParts()) {
            Part part = part(name);
            targets.put(part.service().name() + ":" + part.health().containerPort(), "127.0.0.1:" + part.port());
        }
        Set<String> hosts = stack.services().stream().map(ServiceSpec::name).collect(Collectors.toSet());
        return new PrometheusConfigGenerator(stack.service("prometheus"), targets, hosts).withShipping(shipping)
                .write(stateDir.resolve("prometheus/prometheus.yml"));
    }

    /** Installs the research kernel into the state folder's Jupyter data dir, where this server looks. */
    private void installKernel() {
        Path launcher = repoRoot.resolve("bin/research-kernel");
        Path jar = repoRoot.resolve("kernel/target/research-kernel.jar");
        if (!Files.isExecutable(launcher) || !Files.exists(jar)) {
            out.println("jupyter: the research kernel is not built (" + jar + "); run bin/setup to add it");
            return;
        }
        ProcessBuilder install = new ProcessBuilder(launcher.toString(), "install", "--user")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(supervisor.logFile("jupyter").toFile()));
        install.environment().putAll(jupyterDirs());
        try {
            Files.createDirectories(supervisor.logFile("jupyter").getParent());
            Process process = install.start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new ManagerException("installing the research kernel took over 60 s; see "
                        + supervisor.logFile("jupyter"));
            }
            if (process.exitValue() != 0) {
                throw new ManagerException("installing the research kernel failed (exit " + process.exitValue()
                        + "); see " + supervisor.logFile("jupyter"));
            }
        } catch (IOException e) {
            throw new ManagerException("cannot run " + launcher + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ManagerException("interrupted while installing the research kernel", e);
        }
    }

    private Path tokenFile() {
        return stateDir.resolve("jupyter/token");
    }

    /** One token per state folder, readable by its owner only, so the URL stays the same across restarts. */
    private String token() {
        Path file = tokenFile();
        try {
            if (Files.isRegularFile(file)) {
                return Files.readString(file).trim();
            }
            Files.createDirectories(file.getParent());
            byte[] bytes = new byte[24];
            new SecureRandom().nextBytes(bytes);
            String token = HexFormat.of().formatHex(bytes);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, token + "\n");
            return token;
        } catch (IOException e) {
            throw new ManagerException("cannot write the Jupyter token to " + file + ": " + e.getMessage(), e);
        }
    }

    private String diedPart() {
        for (String name : START_ORDER) {
            if (supervisor.readRecord(name).isPresent() && supervisor.running(name).isEmpty()) {
                return name;
            }
        }
        return null;
    }

    private static String lastLines(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return ":\n  " + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }
}
