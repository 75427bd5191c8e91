package dev.researchmon.manager.central;

import dev.researchmon.manager.HealthProbe;
import dev.researchmon.manager.ManagerException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the central store listens, how long it keeps data, who may use it and whether it speaks
 * https. It listens on every interface by default ({@code 0.0.0.0}): the research hosts are other
 * machines, and so it is closed by default: {@code credentials} is empty only for {@code --store-no-auth}.
 *
 * <pre>{@code
 * CentralStore store = new CentralStore("0.0.0.0", 8428, "90d",
 *         Optional.of(StoreCredentials.prepare(stateDir, "research", Optional.empty())), Optional.empty());
 * store.remoteWriteUrl();      // http://<this machine's name>:8428/api/v1/write
 * store.hostInstructions();    // what each host passes, and which file to copy to it
 * }</pre>
 */
public record CentralStore(
        String bind, int port, String retention, Optional<StoreCredentials> credentials, Optional<StoreTls> tls) {
    private static final Pattern RETENTION = Pattern.compile("[1-9][0-9]*[hdwy]");
    private static final Pattern ADDRESS = Pattern.compile("[0-9A-Za-z.:-]+");

    public CentralStore {
        if (!ADDRESS.matcher(bind).matches()) {
            throw new ManagerException(
                    "--store-bind must be an address such as 0.0.0.0 or 127.0.0.1; got '" + bind + "'");
        }
        if (port < 1 || port > 65535) {
            throw new ManagerException("--store-port must be a port number in 1..65535, not " + port);
        }
        if (!RETENTION.matcher(retention).matches()) {
            throw new ManagerException(
                    "--store-retention must be a duration such as 90d, 12w or 1y; got '" + retention + "'");
        }
    }

    public boolean loopbackOnly() {
        return bind.startsWith("127.") || bind.equals("localhost") || bind.equals("::1");
    }

    public String scheme() {
        return tls.isPresent() ? "https" : "http";
    }

    /** A probe of its health endpoint: over https it trusts the store's own certificate, and only that. */
    public HealthProbe healthProbe() {
        return tls.map(t -> new HealthProbe(PinnedCertificate.context(t.certificate())))
                .orElseGet(HealthProbe::new);
    }

    /** The URL to give each host's {@code --remote-write}, as seen from this machine. */
    public String remoteWriteUrl() {
        String host = bind.equals("0.0.0.0") ? "<this machine's name>" : bind;
        return scheme() + "://" + host + ":" + port + "/api/v1/write";
    }

    /**
     * What the operator runs on each host, and which files go there. Only file names: the secrets
     * themselves are never printed.
     */
    public List<String> hostInstructions() {
        StringBuilder command = new StringBuilder("hosts ship with: --remote-write " + remoteWriteUrl());
        credentials.ifPresent(c -> command.append(" --remote-write-basic-auth-user ")
                .append(c.user())
                .append(" --remote-write-password-file ")
                .append(c.passwordFile()));
        tls.ifPresent(
                t -> command.append(" --remote-write-ca-file ").append(t.selfSigned() ? t.certFile() : "CA-FILE"));
        List<String> lines = new ArrayList<>(List.of(command.toString()));
        credentials.ifPresent(
                c -> lines.add("  copy " + c.passwordFile() + " to each host (mode 600) and give its path "
                        + "there; the same password lets Grafana read the store"));
        tls.ifPresent(t -> lines.add(
                t.selfSigned()
                        ? "  copy " + t.certFile()
                                + " to each host too: the certificate signed itself, so it is its own CA"
                        : "  CA-FILE: the CA certificate that signed " + t.certFile() + ", on each host"));
        credentials.ifPresent(
                c -> lines.add("  admin key (delete_series, snapshots, force_merge, resetRollupResultCache, "
                        + "/metrics, /flags, /debug/pprof/ as ?authKey=): " + c.adminKeyFile()
                        + "; keep it on this machine"));
        return lines;
    }
}
