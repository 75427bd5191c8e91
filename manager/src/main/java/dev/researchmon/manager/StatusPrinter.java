package dev.researchmon.manager;

import dev.researchmon.manager.central.CentralStore;
import dev.researchmon.manager.central.SecretFile;
import dev.researchmon.manager.central.StoreCredentials;
import java.io.PrintWriter;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * What the user reads after each command: the table of parts, where the dashboard is when Grafana
 * is not, what each host passes to ship to a central store, and the warnings about what is not safe.
 * Secrets are never printed, only the files that hold them.
 *
 * <pre>{@code
 * StatusPrinter print = new StatusPrinter(out, err);
 * print.parts(stack.status());
 * print.whereToLookWithoutGrafana(parts, 9090);
 * }</pre>
 */
final class StatusPrinter {
    private final PrintWriter out;
    private final PrintWriter err;

    StatusPrinter(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    void parts(List<PartStatus> parts) {
        String format = "%-14s %-14s %-40s %s%n";
        out.printf(format, "PART", "STATE", "URL", "DETAIL");
        for (PartStatus part : parts) {
            out.printf(
                    format,
                    part.part(),
                    part.state().name().toLowerCase().replace('_', ' '),
                    part.url(),
                    part.detail());
        }
        out.flush();
    }

    /**
     * Without Grafana (the local runtime has none) the dashboard is still to be seen: drawn in a
     * notebook by {@code %dashboard}, and Prometheus's own graph page answers every query.
     *
     * @param prometheusPort where Prometheus listens when no part's status says
     */
    void whereToLookWithoutGrafana(List<PartStatus> parts, int prometheusPort) {
        if (parts.stream().anyMatch(p -> p.part().equals("grafana") && p.healthy())) {
            return;
        }
        Optional<PartStatus> prometheus =
                parts.stream().filter(p -> p.part().equals("prometheus")).findFirst();
        String graph = prometheus
                .filter(p -> p.url().startsWith("http"))
                .map(p -> {
                    URI u = URI.create(p.url());
                    return u.getScheme() + "://" + u.getAuthority() + "/graph";
                })
                .orElse("http://127.0.0.1:" + prometheusPort + "/graph");
        boolean up = prometheus.map(PartStatus::healthy).orElse(false);
        out.println();
        out.println("Grafana is not available, so the dashboard is elsewhere:");
        out.println("  in a notebook:   %dashboard   (the research dashboard's panels, drawn from Prometheus;"
                + " %dashboard GPUs, %dashboard --range 6h ...)");
        out.println("  in a browser:    " + graph + "   (Prometheus's own graph page)"
                + (up ? "" : " once Prometheus runs: --enable-monitoring"));
    }

    /** What each host passes to ship to {@code store}, and what is not safe about it. */
    void hostInstructions(CentralStore store) {
        store.credentials()
                .filter(StoreCredentials::passwordGenerated)
                .ifPresent(c -> out.println(
                        "made a random password for user " + c.user() + " in " + c.passwordFile() + " (mode 600)"));
        store.hostInstructions().forEach(out::println);
        store.credentials()
                .map(StoreCredentials::passwordFile)
                .filter(SecretFile::readableByOthers)
                .ifPresent(f ->
                        err.println("warning: " + f + " is readable by other users of this machine; chmod 600 " + f));
        if (store.credentials().isEmpty()) {
            err.println("warning: --store-no-auth: anyone who reaches " + store.bind() + ":" + store.port()
                    + " can write, read and delete every host's history, without credentials");
        } else if (store.tls().isEmpty() && !store.loopbackOnly()) {
            err.println("warning: the store speaks plain http on " + store.bind() + ":" + store.port()
                    + ": the password and every sample cross the network unencrypted; serve https with "
                    + "--store-tls-cert and --store-tls-key");
        }
        out.flush();
        err.flush();
    }

    void warnAboutPasswordOnCommandLine() {
        err.println("warning: --grafana-password puts the password in this process's command line, where other "
                + "users can read it (ps, /proc) and your shell history keeps it; set GRAFANA_PASSWORD instead");
    }

    /** Grafana on Docker with compose's default password: anyone on this machine can sign in. */
    void warnAboutDefaultPassword(StackRuntime stack, String grafanaPassword) {
        if (stack.name().equals("docker")
                && (grafanaPassword == null || grafanaPassword.isEmpty() || grafanaPassword.equals("admin"))) {
            err.println("warning: Grafana keeps the default password 'admin' for its admin user; "
                    + "set GRAFANA_PASSWORD to change it");
        }
    }
}
