package dev.researchmon.manager.stack;

import dev.researchmon.manager.ManagerException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The whole stack read from docker/compose.yaml: its services, its network and its named volumes,
 * each with the engine-side names and labels the manager creates them with.
 *
 * <pre>{@code
 * StackDescription stack = ComposeFile.load(Path.of("docker/compose.yaml"), System.getenv(), false);
 * stack.service("prometheus").published(9090);
 * }</pre>
 */
public record StackDescription(
        String project,
        Path composeDirectory,
        String network,
        Map<String, String> networkLabels,
        Map<String, Map<String, String>> volumes,
        List<ServiceSpec> services) {

    /** The label that marks everything the manager created; it touches nothing without it. */
    public static final String STACK_LABEL = "dev.researchmon.stack";

    public StackDescription {
        networkLabels = Map.copyOf(networkLabels);
        volumes = Map.copyOf(volumes);
        services = List.copyOf(services);
    }

    public String stackLabelValue() {
        return project;
    }

    public ServiceSpec service(String name) {
        return services.stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new ManagerException("docker/compose.yaml has no service '" + name + "'"));
    }
}
