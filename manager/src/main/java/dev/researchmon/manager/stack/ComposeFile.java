package dev.researchmon.manager.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.researchmon.manager.ManagerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads docker/compose.yaml (and, when asked, compose.gpu.yaml beside it) into a
 * {@link StackDescription}: the part of the compose format this stack uses (image, container_name,
 * command, environment, ports and volumes in short syntax, labels, user, privileged, pid, the
 * default network and named volumes), with compose's variable substitution. Anything else a
 * service declares is ignored by the manager, not rejected, so compose-only keys can stay.
 *
 * <pre>{@code
 * StackDescription stack = ComposeFile.load(Path.of("docker/compose.yaml"),
 *         Map.of("PROMETHEUS_PORT", "19090"), false);
 * }</pre>
 */
public final class ComposeFile {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** The stack's name (and its label's value) when the file has no top-level {@code name}. */
    public static final String DEFAULT_PROJECT = "research-monitor";

    private final Path file;
    private final Interpolator interpolator;

    private ComposeFile(Path file, Interpolator interpolator) {
        this.file = file;
        this.interpolator = interpolator;
    }

    /**
     * @param variables values for {@code ${...}} references (the environment plus the manager's options)
     * @param withGpus  whether to apply compose.gpu.yaml's GPU requests
     */
    public static StackDescription load(Path composeFile, Map<String, String> variables, boolean withGpus) {
        return new ComposeFile(composeFile.toAbsolutePath().normalize(), new Interpolator(variables)).read(withGpus);
    }

    private StackDescription read(boolean withGpus) {
        JsonNode root = readTree(file);
        JsonNode gpuRoot = null;
        Path gpuFile = file.resolveSibling("compose.gpu.yaml");
        if (withGpus && Files.isRegularFile(gpuFile)) {
            gpuRoot = readTree(gpuFile);
        }
        // x-project stands in for compose's top-level name, which Debian's docker-compose 1.x rejects:
        // the central stack's containers are told apart from a host stack's on the same engine by it
        String project = text(root.get("name"), text(root.get("x-project"), DEFAULT_PROJECT));
        JsonNode defaultNetwork = root.path("networks").path("default");
        String network = text(defaultNetwork.get("name"), project + "_default");
        Map<String, String> networkLabels = stringMap(defaultNetwork.get("labels"), "networks.default.labels");

        Map<String, Map<String, String>> volumes = new LinkedHashMap<>();
        Map<String, String> volumeNames = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("volumes").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = text(e.getValue().get("name"), project + "_" + e.getKey());
            volumeNames.put(e.getKey(), name);
            volumes.put(name, stringMap(e.getValue().get("labels"), "volumes." + e.getKey() + ".labels"));
        }

        JsonNode services = root.get("services");
        if (services == null || !services.isObject() || services.isEmpty()) {
            throw new ManagerException(file + " declares no services");
        }
        List<ServiceSpec> specs = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = services.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            boolean gpus = gpuRoot != null
                    && gpuRoot.path("services")
                                    .path(e.getKey())
                                    .path("deploy")
                                    .path("resources")
                                    .path("reservations")
                                    .path("devices")
                                    .size()
                            > 0;
            specs.add(service(project, e.getKey(), e.getValue(), volumeNames, gpus));
        }
        return new StackDescription(project, file.getParent(), network, networkLabels, volumes, specs);
    }

    private ServiceSpec service(
            String project, String name, JsonNode node, Map<String, String> volumeNames, boolean gpus) {
        String where = "services." + name;
        String image = text(node.get("image"), null);
        if (image == null) {
            throw new ManagerException(file + ": " + where + " has no image");
        }
        List<PortBinding> ports = new ArrayList<>();
        for (JsonNode p : node.path("ports")) {
            ports.add(port(text(p, ""), where));
        }
        List<Mount> mounts = new ArrayList<>();
        for (JsonNode v : node.path("volumes")) {
            mounts.add(mount(text(v, ""), where, volumeNames));
        }
        List<HealthEndpoint> health = new ArrayList<>();
        for (JsonNode h : node.path("x-health")) {
            health.add(
                    new HealthEndpoint(text(h.get("part"), name), h.path("port").asInt(), text(h.get("path"), "/")));
        }
        return new ServiceSpec(
                name,
                image,
                text(node.get("container_name"), project + "-" + name + "-1"),
                command(node.get("command")),
                stringMap(node.get("environment"), where + ".environment"),
                ports,
                mounts,
                stringMap(node.get("labels"), where + ".labels"),
                text(node.get("user"), null),
                node.path("privileged").asBoolean(false),
                text(node.get("pid"), null),
                health,
                gpus,
                dockerfile(node.get("build")));
    }

    private String dockerfile(JsonNode build) {
        if (build == null || build.isNull()) {
            return null;
        }
        Path context = file.getParent().resolve(build.isTextual() ? text(build, ".") : text(build.get("context"), "."));
        String dockerfile = build.isObject() ? text(build.get("dockerfile"), "Dockerfile") : "Dockerfile";
        return context.resolve(dockerfile).normalize().toString();
    }

    /** Short syntax: {@code [ip:]host:container[/proto]}; a bare container port is not published. */
    private PortBinding port(String spec, String where) {
        String protocol = "tcp";
        int slash = spec.indexOf('/');
        if (slash >= 0) {
            protocol = spec.substring(slash + 1);
            spec = spec.substring(0, slash);
        }
        String[] parts = spec.split(":");
        try {
            return switch (parts.length) {
                case 2 -> new PortBinding("0.0.0.0", portNumber(parts[0]), portNumber(parts[1]), protocol);
                case 3 -> new PortBinding(parts[0], portNumber(parts[1]), portNumber(parts[2]), protocol);
                default -> throw new NumberFormatException();
            };
        } catch (NumberFormatException e) {
            throw new ManagerException(file + ": " + where + ".ports: '" + spec
                    + "' is not [ip:]hostPort:containerPort with ports in 1..65535");
        }
    }

    private static int portNumber(String text) {
        int port = Integer.parseInt(text.trim());
        if (port < 1 || port > 65535) {
            throw new NumberFormatException();
        }
        return port;
    }

    /** Short syntax: {@code source:target[:ro|rw]}; a source starting with . or / is a host path. */
    private Mount mount(String spec, String where, Map<String, String> volumeNames) {
        String[] parts = spec.split(":");
        if (parts.length < 2 || parts.length > 3) {
            throw new ManagerException(file + ": " + where + ".volumes: '" + spec + "' is not source:target[:ro]");
        }
        boolean readOnly =
                parts.length == 3 && Arrays.asList(parts[2].split(",")).contains("ro");
        String source = parts[0];
        if (source.startsWith(".") || source.startsWith("/")) {
            String absolute = file.getParent().resolve(source).normalize().toString();
            return new Mount(Mount.Kind.BIND, absolute, parts[1], readOnly);
        }
        String volume = volumeNames.get(source);
        if (volume == null) {
            throw new ManagerException(file + ": " + where + " uses volume '" + source
                    + "', which the top-level volumes section does not declare");
        }
        return new Mount(Mount.Kind.VOLUME, volume, parts[1], readOnly);
    }

    private List<String> command(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (node.isTextual()) {
            return List.of(interpolator.apply(node.asText()).trim().split("\\s+"));
        }
        List<String> args = new ArrayList<>();
        node.forEach(a -> args.add(interpolator.apply(a.asText())));
        return args;
    }

    /** A compose mapping, given either as {@code {K: V}} or as a list of {@code K=V}. */
    private Map<String, String> stringMap(JsonNode node, String where) {
        Map<String, String> map = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return map;
        }
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> map.put(e.getKey(), text(e.getValue(), "")));
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                String entry = text(item, "");
                int eq = entry.indexOf('=');
                map.put(eq < 0 ? entry : entry.substring(0, eq), eq < 0 ? "" : entry.substring(eq + 1));
            }
        } else {
            throw new ManagerException(file + ": " + where + " must be a mapping or a list of KEY=VALUE");
        }
        return map;
    }

    private String text(JsonNode node, String fallback) {
        if (node == null || node.isNull()) {
            return fallback;
        }
        return interpolator.apply(node.asText());
    }

    private static JsonNode readTree(Path path) {
        try {
            JsonNode root = YAML.readTree(path.toFile());
            if (root == null || !root.isObject()) {
                throw new ManagerException(path + " is not a compose file (no top-level mapping)");
            }
            return root;
        } catch (IOException e) {
            throw new ManagerException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }
}
