package dev.researchmon.manager.local;

import dev.researchmon.manager.stack.HealthEndpoint;
import dev.researchmon.manager.stack.ServiceSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Debian's Prometheus, on the project's prometheus.yml rewritten for loopback targets. */
final class PrometheusPart implements LocalPart {
    static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");

    @Override
    public String name() {
        return "prometheus";
    }

    @Override
    public List<Path> needs(LocalContext context) {
        return List.of(PROMETHEUS);
    }

    @Override
    public List<String> command(LocalContext context, int port) {
        ServiceSpec service = context.serviceOf(name());
        List<String> command = new ArrayList<>(List.of(
                PROMETHEUS.toString(),
                "--config.file=" + writeConfig(context),
                "--storage.tsdb.path=" + dataDir(context).orElseThrow(),
                "--web.listen-address=127.0.0.1:" + port));
        // the compose command's other flags (retention first of all) apply here as well
        service.command().stream()
                .filter(a -> !a.startsWith("--config.file")
                        && !a.startsWith("--storage.tsdb.path")
                        && !a.startsWith("--web.listen-address"))
                .forEach(command::add);
        return command;
    }

    @Override
    public Optional<Path> dataDir(LocalContext context) {
        return Optional.of(context.stateDir().resolve("prometheus/data"));
    }

    /** Targets of the parts that run here become their loopback ports; the others are dropped. */
    private Path writeConfig(LocalContext context) {
        Map<String, String> targets = new LinkedHashMap<>();
        context.ports().forEach((part, port) -> {
            ServiceSpec service = context.serviceOf(part);
            HealthEndpoint health = service.health().stream()
                    .filter(h -> h.part().equals(part))
                    .findFirst()
                    .orElseThrow();
            targets.put(service.name() + ":" + health.containerPort(), "127.0.0.1:" + port);
        });
        Set<String> hosts =
                context.stack().services().stream().map(ServiceSpec::name).collect(Collectors.toSet());
        return new PrometheusConfigGenerator(context.serviceOf(name()), targets, hosts)
                .withShipping(context.shipping())
                .write(context.stateDir().resolve("prometheus/prometheus.yml"));
    }
}
