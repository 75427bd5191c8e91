package dev.researchmon.manager.stack;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One service of the stack as the manager needs it, every variable already substituted.
 * {@code gpus} is true when compose.gpu.yaml asks for GPUs for this service; {@code dockerfile} is
 * the compose {@code build} section's Dockerfile (absolute), or null for an image that is pulled.
 */
public record ServiceSpec(
        String name,
        String image,
        String containerName,
        List<String> command,
        Map<String, String> environment,
        List<PortBinding> ports,
        List<Mount> mounts,
        Map<String, String> labels,
        String user,
        boolean privileged,
        String pidMode,
        List<HealthEndpoint> health,
        boolean gpus,
        String dockerfile) {

    public ServiceSpec {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
        ports = List.copyOf(ports);
        mounts = List.copyOf(mounts);
        labels = Map.copyOf(labels);
        health = List.copyOf(health);
    }

    /** The host port that publishes a container port, if it is published. */
    public Optional<PortBinding> published(int containerPort) {
        return ports.stream().filter(p -> p.containerPort() == containerPort).findFirst();
    }

    /** The host path behind a path inside the container, through the service's bind mounts. */
    public java.nio.file.Path hostPath(String inContainer) {
        for (Mount mount : mounts) {
            String target = mount.target().endsWith("/") ? mount.target() : mount.target() + "/";
            if (mount.kind() == Mount.Kind.BIND && inContainer.startsWith(target)) {
                return java.nio.file.Path.of(mount.source()).resolve(inContainer.substring(target.length()));
            }
        }
        return java.nio.file.Path.of(inContainer);
    }

    /** The value of a {@code --flag=value} argument of the command, if present. */
    public Optional<String> flag(String name) {
        String prefix = name + "=";
        return command.stream()
                .filter(a -> a.startsWith(prefix))
                .map(a -> a.substring(prefix.length()))
                .findFirst();
    }
}
