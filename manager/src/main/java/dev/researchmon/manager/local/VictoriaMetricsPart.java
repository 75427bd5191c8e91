package dev.researchmon.manager.local;

import dev.researchmon.manager.central.CentralStore;
import dev.researchmon.manager.central.StoreCredentials;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code --role central} as a local process: Debian's VictoriaMetrics single node, the store every
 * host's Prometheus ships to. It takes Prometheus remote write at {@code /api/v1/write} and serves
 * the Prometheus query API, so Grafana (on the Docker runtime), {@code %metrics} and the dashboard
 * read it as they read a Prometheus. Its data lives in {@code victoria-metrics/data} of the state
 * folder and is kept across stop and start. Unlike the host stack's parts it listens where
 * {@code --store-bind} says (every interface by default: the hosts are other machines), and on
 * https with {@code --store-tls-cert}.
 *
 * <p>Its secrets (basic auth and the auth keys, see {@link StoreCredentials}) reach it through its
 * environment, read with {@code -envflag.enable}: a command line is readable by every user of the
 * machine ({@code ps}, {@code /proc/PID/cmdline}), a process's environment only by its owner. Its log
 * shows them as "secret".
 *
 * <pre>{@code
 * List<String> argv = new VictoriaMetricsPart(store).command(stateDir, 8428);
 * }</pre>
 */
public final class VictoriaMetricsPart implements LocalPart {
    public static final Path VICTORIA_METRICS = Path.of("/usr/bin/victoria-metrics");

    private final CentralStore store;

    public VictoriaMetricsPart(CentralStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return "victoria-metrics";
    }

    @Override
    public List<Path> needs(LocalContext context) {
        return List.of(VICTORIA_METRICS);
    }

    @Override
    public List<String> command(LocalContext context, int port) {
        return command(context.stateDir(), port);
    }

    /** Secrets are not here: see {@link #environment()}. */
    public List<String> command(Path stateDir, int port) {
        List<String> command = new ArrayList<>(List.of(
                VICTORIA_METRICS.toString(),
                "-storageDataPath=" + dataDir(stateDir),
                "-httpListenAddr=" + store.bind() + ":" + port,
                "-retentionPeriod=" + store.retention(),
                // Hosts send a batch at least every 5 s (batch_send_deadline): data older than 10 s is
                // complete, so queries need not hide the last 30 s as VictoriaMetrics does by default.
                "-search.latencyOffset=10s",
                // the credentials come from the environment (never the command line)
                "-envflag.enable"));
        store.tls()
                .ifPresent(t ->
                        command.addAll(List.of("-tls", "-tlsCertFile=" + t.certFile(), "-tlsKeyFile=" + t.keyFile())));
        return command;
    }

    @Override
    public Map<String, String> environment(LocalContext context) {
        return environment();
    }

    /** The store's secrets, as -envflag.enable reads them; nothing at all for --store-no-auth. */
    public Map<String, String> environment() {
        return store.credentials()
                .map(StoreCredentials::victoriaMetricsEnvironment)
                .orElse(Map.of());
    }

    @Override
    public String portOption() {
        return "--store-port";
    }

    /** Asked on loopback where it listens on every interface, else on its own address; https with TLS. */
    @Override
    public URI healthUrl(int port, String path) {
        String host = store.loopbackOnly() || store.bind().equals("0.0.0.0") ? "127.0.0.1" : store.bind();
        return URI.create(store.scheme() + "://" + host + ":" + port + path);
    }

    @Override
    public String statusDetail(LocalContext context) {
        return "remote write " + store.remoteWriteUrl();
    }

    @Override
    public Optional<Path> dataDir(LocalContext context) {
        return Optional.of(dataDir(context.stateDir()));
    }

    private static Path dataDir(Path stateDir) {
        return stateDir.resolve("victoria-metrics/data");
    }
}
