package dev.researchmon.manager.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.researchmon.manager.ManagerException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What one host's Prometheus adds to the project's prometheus.yml so that many hosts can share one
 * store: {@code external_labels: {host: NAME}} (every sample it ships, and every alert it sends,
 * says where it came from) and, with a store to ship to, one {@code remote_write} entry with queue
 * settings that ride out an outage of an hour.
 *
 * <p>Every scrape job also sets {@code host} as a target label. External labels exist only on the
 * way out, so without it the host's own Prometheus, its Grafana and {@code %metrics} would see series
 * without {@code host} while the store sees them with it; with it the dashboard's {@code $host}
 * variable and the recording rules' {@code by (host, ...)} read the same on one host and on the store.
 *
 * <p>Why these queue settings: while the store is unreachable Prometheus retries the same batch for
 * ever (backoff doubling from {@code min_backoff} to {@code max_backoff}) and reads nothing new from
 * its write-ahead log, so the backlog waits in the WAL on disk, not in memory. The WAL keeps at
 * least two hours (the head block is cut at three), hence an outage up to about two hours loses
 * nothing; a longer one loses for the store what the WAL has dropped, while the host's own 15 days
 * keep it. Once the store is back, up to {@code max_shards} senders of {@code max_samples_per_send}
 * each drain the backlog: a host writing 1,000 samples/s has 3.6 M after an hour, which 50 shards of
 * 2,000 send in a few dozen round trips.
 *
 * <pre>{@code
 * new HostShipping("gpu-a", Optional.of(remoteWrite), Optional.empty()).applyTo(config, Path::toString);
 * }</pre>
 *
 * <p>Several stores are several {@code remote_write} entries, each with its own queue and its own
 * place in the WAL: one store down holds back only its own queue (useful while moving to a new
 * store, and how the ITs feed VictoriaMetrics and a central Prometheus from the same two hosts).
 *
 * <pre>{@code
 * new HostShipping("gpu-a", List.of(victoriaMetrics, centralPrometheus), Optional.empty());
 * }</pre>
 */
public record HostShipping(String host, List<RemoteWrite> remoteWrites, Optional<String> scrapeInterval) {
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final Pattern DURATION = Pattern.compile("[1-9][0-9]*(ms|s|m)");

    /** The queue settings README recommends for an outage of an hour (see the class comment). */
    static final int CAPACITY = 10_000;

    static final int MAX_SHARDS = 50;
    static final int MAX_SAMPLES_PER_SEND = 2_000;
    static final String BATCH_SEND_DEADLINE = "5s";
    static final String MIN_BACKOFF = "30ms";
    static final String MAX_BACKOFF = "5s";

    /** At most one store. */
    public HostShipping(String host, Optional<RemoteWrite> remoteWrite, Optional<String> scrapeInterval) {
        this(host, remoteWrite.stream().toList(), scrapeInterval);
    }

    public HostShipping {
        remoteWrites = List.copyOf(remoteWrites);
        if (!HOST.matcher(host).matches()) {
            throw new ManagerException("--host must be a host name (letters, digits, '.', '_', '-', at most 63, "
                    + "starting with a letter or digit); got '" + host + "'");
        }
        scrapeInterval.ifPresent(i -> {
            if (!DURATION.matcher(i).matches()) {
                throw new ManagerException(
                        "--scrape-interval must be a duration such as 15s, 500ms or 1m; got '" + i + "'");
            }
        });
    }

    /**
     * Adds the host label, the remote write and the scrape interval to a parsed prometheus.yml.
     *
     * @param visiblePath where Prometheus finds a file of this machine (itself for a local process,
     *                    its mount point for a container)
     */
    public void applyTo(ObjectNode config, Function<Path, String> visiblePath) {
        ObjectNode global = config.with("global");
        global.with("external_labels").put("host", host);
        for (JsonNode job : config.path("scrape_configs")) {
            ArrayNode relabel = ((ObjectNode) job).withArray("relabel_configs");
            relabel.insert(0, config.objectNode().put("target_label", "host").put("replacement", host));
        }
        scrapeInterval.ifPresent(i -> {
            global.put("scrape_interval", i);
            global.put("evaluation_interval", i);
        });
        if (!remoteWrites.isEmpty()) {
            ArrayNode entries = config.putArray("remote_write");
            for (int i = 0; i < remoteWrites.size(); i++) {
                // names must be unique; they label the host's prometheus_remote_storage_* series
                entries.add(remoteWriteEntry(
                        config, remoteWrites.get(i), i == 0 ? "central" : "central-" + (i + 1), visiblePath));
            }
        }
    }

    private static ObjectNode remoteWriteEntry(
            ObjectNode config, RemoteWrite rw, String name, Function<Path, String> visiblePath) {
        ObjectNode entry = config.objectNode();
        entry.put("url", rw.url().toString());
        entry.put("name", name);
        if (rw.auth() instanceof RemoteWrite.Bearer bearer) {
            entry.putObject("authorization")
                    .put("type", "Bearer")
                    .put("credentials_file", visiblePath.apply(bearer.tokenFile()));
        } else if (rw.auth() instanceof RemoteWrite.Basic basic) {
            entry.putObject("basic_auth")
                    .put("username", basic.user())
                    .put("password_file", visiblePath.apply(basic.passwordFile()));
        }
        if (rw.tls()) {
            ObjectNode tls = entry.putObject("tls_config").put("insecure_skip_verify", false);
            rw.caFile().ifPresent(ca -> tls.put("ca_file", visiblePath.apply(ca)));
        }
        entry.putObject("queue_config")
                .put("capacity", CAPACITY)
                .put("max_shards", MAX_SHARDS)
                .put("min_shards", 1)
                .put("max_samples_per_send", MAX_SAMPLES_PER_SEND)
                .put("batch_send_deadline", BATCH_SEND_DEADLINE)
                .put("min_backoff", MIN_BACKOFF)
                .put("max_backoff", MAX_BACKOFF)
                // a store that sheds load answers 429: wait and retry rather than drop the batch
                .put("retry_on_http_429", true);
        entry.putObject("metadata_config").put("send", true);
        return entry;
    }
}
