package dev.researchmon.manager.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.DeviceRequest;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Volume;
import dev.researchmon.manager.HealthProbe;
import dev.researchmon.manager.ManagerException;
import dev.researchmon.manager.PartStatus;
import dev.researchmon.manager.PortGuard;
import dev.researchmon.manager.StackRuntime;
import dev.researchmon.manager.stack.HealthEndpoint;
import dev.researchmon.manager.stack.Mount;
import dev.researchmon.manager.stack.PortBinding;
import dev.researchmon.manager.stack.ServiceSpec;
import dev.researchmon.manager.stack.StackDescription;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The stack on a Docker engine (or any Docker-compatible API, such as Podman's service), created
 * through docker-java from the {@link StackDescription} read from docker/compose.yaml: the network,
 * the named volumes and one container a service, all labelled {@value StackDescription#STACK_LABEL}.
 * Anything with the same name but without that label is left alone and reported.
 *
 * <pre>{@code
 * StackRuntime docker = new DockerRuntime("unix:///var/run/docker.sock", gpus -> stackFor(gpus),
 *         Duration.ofSeconds(120), out);
 * docker.enable();
 * }</pre>
 */
public final class DockerRuntime implements StackRuntime {
    private static final Duration PULL_TIMEOUT = Duration.ofMinutes(10);
    private static final int STOP_TIMEOUT_SECONDS = 10;

    private final String host;
    private final Function<Boolean, StackDescription> stackLoader;
    private final Duration healthTimeout;
    private final PrintWriter out;
    private final HealthProbe probe = new HealthProbe();

    /** @param stackLoader reads compose.yaml, with compose.gpu.yaml applied when given true */
    public DockerRuntime(
            String host, Function<Boolean, StackDescription> stackLoader, Duration healthTimeout, PrintWriter out) {
        this.host = host;
        this.stackLoader = stackLoader;
        this.healthTimeout = healthTimeout;
        this.out = out;
    }

    @Override
    public String name() {
        return "docker";
    }

    @Override
    public List<PartStatus> enable() {
        DockerConnection.requireAnswering(host);
        try (DockerClient docker = DockerConnection.open(host)) {
            StackDescription stack = stackLoader.apply(hasNvidiaRuntime(docker));
            requireImages(docker, stack);
            ensureNetwork(docker, stack);
            stack.volumes().forEach((name, labels) -> ensureVolume(docker, stack, name, labels));
            for (ServiceSpec service : stack.services()) {
                ensureRunning(docker, stack, service);
            }
            out.flush();
            awaitHealthy(docker, stack);
            return status(docker, stack);
        } catch (IOException e) {
            throw new ManagerException("lost the Docker API at " + host + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void disable() {
        DockerConnection.requireAnswering(host);
        try (DockerClient docker = DockerConnection.open(host)) {
            StackDescription stack = stackLoader.apply(false);
            List<Container> ours = docker.listContainersCmd()
                    .withShowAll(true)
                    .withLabelFilter(Map.of(StackDescription.STACK_LABEL, stack.stackLabelValue()))
                    .exec();
            for (Container container : ours) {
                String name = containerName(container);
                if ("running".equals(container.getState())) {
                    try {
                        docker.stopContainerCmd(container.getId())
                                .withTimeout(STOP_TIMEOUT_SECONDS)
                                .exec();
                    } catch (NotModifiedException alreadyStopped) {
                        // stopped between the listing and now: nothing to do
                    }
                }
                // volumes stay: they hold what was collected
                docker.removeContainerCmd(container.getId())
                        .withRemoveVolumes(false)
                        .exec();
                out.println(name + ": removed");
            }
            findNetwork(docker, stack.network())
                    .filter(n -> isOurs(n.getLabels(), stack))
                    .ifPresent(n -> {
                        docker.removeNetworkCmd(n.getId()).exec();
                        out.println("network " + stack.network() + ": removed");
                    });
            if (ours.isEmpty()) {
                out.println("nothing of " + stack.project() + " is running");
            }
            out.println("volumes kept: " + String.join(", ", stack.volumes().keySet()));
            out.flush();
        } catch (IOException e) {
            throw new ManagerException("lost the Docker API at " + host + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<PartStatus> status() {
        DockerConnection.requireAnswering(host);
        try (DockerClient docker = DockerConnection.open(host)) {
            return status(docker, stackLoader.apply(false));
        } catch (IOException e) {
            throw new ManagerException("lost the Docker API at " + host + ": " + e.getMessage(), e);
        }
    }

    private List<PartStatus> status(DockerClient docker, StackDescription stack) {
        List<PartStatus> parts = new ArrayList<>();
        for (ServiceSpec service : stack.services()) {
            Optional<InspectContainerResponse> container = inspect(docker, service.containerName());
            boolean running = container
                    .map(c -> Boolean.TRUE.equals(c.getState().getRunning()))
                    .orElse(false);
            for (HealthEndpoint health : service.health()) {
                String url = url(service, health).map(URI::toString).orElse("-");
                if (!running) {
                    String detail = container.isPresent()
                            ? service.containerName() + " is "
                                    + container.get().getState().getStatus()
                            : "";
                    parts.add(new PartStatus(health.part(), url, PartStatus.State.STOPPED, detail));
                } else {
                    boolean healthy = url(service, health).map(probe::healthy).orElse(false);
                    parts.add(new PartStatus(
                            health.part(),
                            url,
                            healthy ? PartStatus.State.HEALTHY : PartStatus.State.UNHEALTHY,
                            "container " + service.containerName()));
                }
            }
        }
        return parts;
    }

    private static boolean hasNvidiaRuntime(DockerClient docker) {
        Map<String, ?> runtimes = docker.infoCmd().exec().getRuntimes();
        return runtimes != null && runtimes.containsKey("nvidia");
    }

    /**
     * Every image must be there before anything is created. A missing one is pulled; one that cannot
     * be pulled is an error naming it. (docker-java throws a NullPointerException on a failed pull
     * against Podman, so the image is looked up again rather than trusting the pull's outcome.)
     */
    private void requireImages(DockerClient docker, StackDescription stack) {
        for (ServiceSpec service : stack.services()) {
            if (imagePresent(docker, service.image())) {
                continue;
            }
            if (service.dockerfile() != null) {
                throw new ManagerException("image " + service.image() + " (service " + service.name()
                        + ") is not present; build it first: docker compose -f "
                        + stack.composeDirectory().resolve("compose.yaml") + " build " + service.name());
            }
            out.println("pulling " + service.image() + " ...");
            out.flush();
            String why = "";
            try {
                docker.pullImageCmd(service.image())
                        .exec(new PullImageResultCallback())
                        .awaitCompletion(PULL_TIMEOUT.toMinutes(), TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                why = ": interrupted";
            } catch (NullPointerException e) {
                // docker-java's answer to a pull error it cannot parse (Podman's): say what it means
                why = ": the engine could not pull it (no network, or no such image or tag?)";
            } catch (RuntimeException e) {
                why = ": " + DockerConnection.rootMessage(e);
            }
            if (!imagePresent(docker, service.image())) {
                throw new ManagerException("image " + service.image() + " (service " + service.name()
                        + ") is not present and could not be pulled" + why);
            }
        }
    }

    private static boolean imagePresent(DockerClient docker, String image) {
        try {
            docker.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private void ensureNetwork(DockerClient docker, StackDescription stack) {
        Optional<Network> existing = findNetwork(docker, stack.network());
        if (existing.isPresent()) {
            requireOurs(existing.get().getLabels(), stack, "network " + stack.network());
            return;
        }
        docker.createNetworkCmd()
                .withName(stack.network())
                .withDriver("bridge")
                .withLabels(labels(stack.networkLabels(), stack))
                .exec();
        out.println("network " + stack.network() + ": created");
    }

    private static Optional<Network> findNetwork(DockerClient docker, String name) {
        // the name filter matches substrings: keep the exact name only
        return docker.listNetworksCmd().withNameFilter(name).exec().stream()
                .filter(n -> name.equals(n.getName()))
                .findFirst();
    }

    private void ensureVolume(DockerClient docker, StackDescription stack, String name, Map<String, String> labels) {
        try {
            requireOurs(docker.inspectVolumeCmd(name).exec().getLabels(), stack, "volume " + name);
        } catch (NotFoundException e) {
            docker.createVolumeCmd()
                    .withName(name)
                    .withLabels(labels(labels, stack))
                    .exec();
            out.println("volume " + name + ": created");
        }
    }

    private void ensureRunning(DockerClient docker, StackDescription stack, ServiceSpec service) {
        String name = service.containerName();
        Optional<InspectContainerResponse> existing = inspect(docker, name);
        if (existing.isPresent()) {
            requireOurs(existing.get().getConfig().getLabels(), stack, "container " + name);
            if (Boolean.TRUE.equals(existing.get().getState().getRunning())) {
                out.println(name + ": already running");
            } else {
                docker.startContainerCmd(name).exec();
                out.println(name + ": started again");
            }
            return;
        }
        for (PortBinding port : service.ports()) {
            if (!PortGuard.isFree(port.hostPort())) {
                String part = service.health().stream()
                        .filter(h -> h.containerPort() == port.containerPort())
                        .map(HealthEndpoint::part)
                        .findFirst()
                        .orElse(service.name());
                throw PortGuard.taken(port.hostPort(), part, "--" + part + "-port");
            }
        }
        create(docker, stack, service);
        docker.startContainerCmd(name).exec();
        out.println(name + ": created and started (" + service.image() + ")");
    }

    private void create(DockerClient docker, StackDescription stack, ServiceSpec service) {
        Ports ports = new Ports();
        List<ExposedPort> exposed = new ArrayList<>();
        for (PortBinding p : service.ports()) {
            ExposedPort port = new ExposedPort(p.containerPort(), InternetProtocol.parse(p.protocol()));
            exposed.add(port);
            ports.bind(port, Ports.Binding.bindIpAndPort(p.hostIp(), p.hostPort()));
        }
        List<Bind> binds = new ArrayList<>();
        for (Mount m : service.mounts()) {
            binds.add(new Bind(m.source(), new Volume(m.target()), m.readOnly() ? AccessMode.ro : AccessMode.rw));
        }
        HostConfig host = HostConfig.newHostConfig()
                .withNetworkMode(stack.network())
                .withPortBindings(ports)
                .withBinds(binds)
                .withPrivileged(service.privileged())
                .withRestartPolicy(RestartPolicy.unlessStoppedRestart());
        if (service.pidMode() != null) {
            host.withPidMode(service.pidMode());
        }
        if (service.gpus()) {
            host.withDeviceRequests(List.of(
                    new DeviceRequest().withDriver("nvidia").withCount(-1).withCapabilities(List.of(List.of("gpu")))));
        }
        CreateContainerCmd create = docker.createContainerCmd(service.image())
                .withName(service.containerName())
                .withLabels(labels(service.labels(), stack))
                .withEnv(service.environment().entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.toList()))
                .withExposedPorts(exposed)
                .withHostConfig(host)
                .withAliases(service.name()); // prometheus.yml reaches each service by its compose name
        if (!service.command().isEmpty()) {
            create.withCmd(service.command());
        }
        if (service.user() != null) {
            create.withUser(service.user());
        }
        create.exec();
    }

    private void awaitHealthy(DockerClient docker, StackDescription stack) {
        Map<String, URI> endpoints = new LinkedHashMap<>();
        for (ServiceSpec service : stack.services()) {
            for (HealthEndpoint health : service.health()) {
                url(service, health).ifPresent(url -> endpoints.put(health.part(), url));
            }
        }
        Map<String, URI> unhealthy = probe.awaitHealthy(endpoints, healthTimeout, () -> exitedContainer(docker, stack));
        String exited = exitedContainer(docker, stack);
        if (exited != null) {
            throw new ManagerException("container " + exited + " exited during start-up; see: docker logs " + exited);
        }
        if (!unhealthy.isEmpty()) {
            throw new ManagerException("not healthy after " + healthTimeout.toSeconds() + " s: "
                    + unhealthy.entrySet().stream()
                            .map(e -> e.getKey() + " (" + e.getValue() + ")")
                            .collect(Collectors.joining(", ")));
        }
    }

    private static String exitedContainer(DockerClient docker, StackDescription stack) {
        for (ServiceSpec service : stack.services()) {
            Optional<InspectContainerResponse> c = inspect(docker, service.containerName());
            if (c.isPresent() && !Boolean.TRUE.equals(c.get().getState().getRunning())) {
                return service.containerName();
            }
        }
        return null;
    }

    /** The health URL through the published port; absent when the port is not published. */
    private static Optional<URI> url(ServiceSpec service, HealthEndpoint health) {
        return service.published(health.containerPort()).map(p -> {
            String ip = p.hostIp().equals("0.0.0.0") ? "127.0.0.1" : p.hostIp();
            return URI.create("http://" + ip + ":" + p.hostPort() + health.path());
        });
    }

    private static Optional<InspectContainerResponse> inspect(DockerClient docker, String name) {
        try {
            return Optional.of(docker.inspectContainerCmd(name).exec());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    private static Map<String, String> labels(Map<String, String> declared, StackDescription stack) {
        Map<String, String> labels = new LinkedHashMap<>(declared);
        labels.put(StackDescription.STACK_LABEL, stack.stackLabelValue());
        return labels;
    }

    private static boolean isOurs(Map<String, String> labels, StackDescription stack) {
        return labels != null && stack.stackLabelValue().equals(labels.get(StackDescription.STACK_LABEL));
    }

    private static void requireOurs(Map<String, String> labels, StackDescription stack, String what) {
        if (!isOurs(labels, stack)) {
            throw new ManagerException(what + " already exists without the label " + StackDescription.STACK_LABEL
                    + "=" + stack.stackLabelValue() + "; it is not the manager's, so it is left alone: "
                    + "remove or rename it, then try again");
        }
    }

    private static String containerName(Container container) {
        String[] names = container.getNames();
        return names != null && names.length > 0 ? names[0].replaceFirst("^/", "") : container.getId();
    }
}
