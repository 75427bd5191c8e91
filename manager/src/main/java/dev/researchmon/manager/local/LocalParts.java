package dev.researchmon.manager.local;

import dev.researchmon.manager.central.CentralStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The local runtime's parts, registered in one place and in start order: the host stack's (the
 * scraped parts first, so that Prometheus's first scrape finds them up) and the central store's. A
 * part of a compose file with no local form is listed with the reason instead. To add a part: write
 * its {@link LocalPart} and register it here.
 */
final class LocalParts {
    private static final List<LocalPart> HOST_STACK = List.of(
            new NodeExporterPart(), new SidecarPart(), new JupyterPart(), new AlertmanagerPart(), new PrometheusPart());

    /** Compose services with no local form, and why (what --status shows). */
    private static final Map<String, String> NOT_LOCAL = Map.of(
            "grafana", "not available locally: Grafana is not packaged for Debian; use --runtime docker",
            "cadvisor", "not available locally: cAdvisor reports on containers and no container engine runs here");

    private LocalParts() {}

    /** Every part of the host stack (docker/compose.yaml) with a local form, in start order. */
    static List<LocalPart> hostStack() {
        return HOST_STACK;
    }

    /** The central store's parts (docker/compose.central.yaml): VictoriaMetrics, with {@code store}'s settings. */
    static List<LocalPart> centralStore(CentralStore store) {
        return List.of(new VictoriaMetricsPart(store));
    }

    static Optional<LocalPart> named(List<LocalPart> parts, String name) {
        return parts.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** Why a compose part has no local form. */
    static String whyNotLocal(String service) {
        return NOT_LOCAL.getOrDefault(service, "not available locally: no local equivalent");
    }
}
