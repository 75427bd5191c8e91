package dev.researchmon.manager.local;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The local runtime's parts, registered in one place and in start order: the scraped parts first,
 * so that Prometheus's first scrape finds them up. A part of compose.yaml with no local form is
 * listed with the reason instead. To add a part: write its {@link LocalPart} and register it here.
 */
final class LocalParts {
    private static final List<LocalPart> REGISTERED = List.of(
            new NodeExporterPart(),
            new SidecarPart(),
            new JupyterPart(),
            new AlertmanagerPart(),
            new PrometheusPart());

    /** Compose services with no local form, and why (what --status shows). */
    private static final Map<String, String> NOT_LOCAL = Map.of(
            "grafana", "not available locally: Grafana is not packaged for Debian; use --runtime docker",
            "cadvisor", "not available locally: cAdvisor reports on containers and no container engine runs here");

    private LocalParts() {
    }

    /** Every part with a local form, in start order. */
    static List<LocalPart> all() {
        return REGISTERED;
    }

    static Optional<LocalPart> named(String name) {
        return REGISTERED.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** Why a compose part has no local form. */
    static String whyNotLocal(String service) {
        return NOT_LOCAL.getOrDefault(service, "not available locally: no local equivalent");
    }
}
