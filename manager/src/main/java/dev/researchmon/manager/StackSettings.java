package dev.researchmon.manager;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the stack was last enabled: what a later {@code --enable-monitoring}, {@code --status} or
 * {@code --no-monitoring} without flags means, kept in the state folder by {@link SettingsFile}.
 * Never a secret: the Grafana password stays in the environment, remote write's credentials in the
 * files named here.
 *
 * @param runtime     "docker" or "local", the one that ran (never "auto")
 * @param dockerHost  the Docker API address, for the docker runtime
 * @param composeFile the stack description
 * @param ports       part name (prometheus, grafana, ...) to the host port it was given
 * @param grafanaUser Grafana's admin user, when one was given
 * @param shipping    the host label, remote write and scrape interval, when any was given
 *
 * <pre>{@code
 * StackSettings s = new StackSettings("local", null, "/srv/research-monitor/docker/compose.yaml", Map.of("prometheus", 19090),
 *         null, new StackSettings.Shipping("gpu-a", List.of("https://central:8428/api/v1/write"), "/etc/rm/token",
 *         null, null, null, "5s"));
 * }</pre>
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record StackSettings(String runtime, String dockerHost, String composeFile, Map<String, Integer> ports,
                            String grafanaUser, Shipping shipping) {
    public StackSettings {
        ports = ports == null ? Map.of() : Map.copyOf(new TreeMap<>(ports));
    }

    /**
     * What {@code --host}, {@code --remote-write*} and {@code --scrape-interval} gave, as given
     * (files by their absolute path); every field may be null.
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Shipping(String host, List<String> remoteWrite, String bearerTokenFile, String basicAuthUser,
                           String passwordFile, String caFile, String scrapeInterval) {
        public Shipping {
            remoteWrite = remoteWrite == null ? List.of() : List.copyOf(remoteWrite);
        }

        /** Nothing remembered: what a stack.json written before these options reads as. */
        public static final Shipping NONE = new Shipping(null, null, null, null, null, null, null);

        /**
         * These settings with what {@code given} gives in their place: the host label and the scrape
         * interval each on its own, the remote write (URLs, credentials' files, CA) as a whole, since
         * a token is for its store; {@code forgetRemoteWrite} (--no-remote-write) drops it.
         */
        public Shipping updatedWith(Shipping given, boolean forgetRemoteWrite) {
            Shipping remote = !given.remoteWrite().isEmpty() ? given : forgetRemoteWrite ? NONE : this;
            return new Shipping(given.host() != null ? given.host() : host, remote.remoteWrite(), remote.bearerTokenFile(),
                    remote.basicAuthUser(), remote.passwordFile(), remote.caFile(),
                    given.scrapeInterval() != null ? given.scrapeInterval() : scrapeInterval);
        }

        @JsonIgnore
        public boolean isEmpty() {
            return host == null && remoteWrite.isEmpty() && scrapeInterval == null;
        }
    }
}
