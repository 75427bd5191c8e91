package dev.researchmon.manager;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the stack was last enabled: what a later {@code --enable-monitoring}, {@code --status} or
 * {@code --no-monitoring} without flags means, kept in the state folder by {@link SettingsFile}.
 * What the user says now wins over it: {@link SettingsResolver} holds that precedence. Never a
 * secret: the Grafana password stays in the environment, remote write's and the store's credentials
 * in the files named here.
 *
 * @param runtime          "docker" or "local", the one that ran (never "auto")
 * @param dockerHost       the Docker API address, for the docker runtime
 * @param givenComposeFile the stack description given with --compose-file; absent for the checkout's
 *                         own, so that a moved checkout or another one never runs an old copy (files
 *                         written before this field named every compose file "composeFile": ignored)
 * @param ports            part name (prometheus, grafana, ...) to the host port it was given
 * @param grafanaUser      Grafana's admin user, when one was given
 * @param shipping         the host label, remote write and scrape interval, when any was given
 * @param central          how {@code --role central} was last enabled from this state folder, if it was
 *
 * <pre>{@code
 * StackSettings s = new StackSettings("local", null, null, Map.of("prometheus", 19090), null,
 *         new StackSettings.Shipping("gpu-a", List.of("https://central:8428/api/v1/write"), "/etc/rm/token",
 *         null, null, null, "5s"), null);
 * }</pre>
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record StackSettings(
        String runtime,
        String dockerHost,
        String givenComposeFile,
        Map<String, Integer> ports,
        String grafanaUser,
        Shipping shipping,
        Central central) {
    /** Nothing remembered: the stack was never enabled from this state folder. */
    public static final StackSettings NONE = new StackSettings(null, null, null, null, null, null, null);

    public StackSettings {
        ports = ports == null ? Map.of() : Map.copyOf(new TreeMap<>(ports));
    }

    /** These host settings with {@code central} remembered beside them: one machine may be both. */
    public StackSettings withCentral(Central central) {
        return new StackSettings(runtime, dockerHost, givenComposeFile, ports, grafanaUser, shipping, central);
    }

    /**
     * What {@code --role central} was enabled with: the store's options (files by their absolute
     * path; never the password itself). {@code --store-no-auth} is not remembered: opening the store
     * is said each time, and leaving it out closes it again.
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Central(
            String runtime,
            String dockerHost,
            String givenComposeFile,
            Integer port,
            String bind,
            String retention,
            String user,
            String passwordFile,
            String tlsCertFile,
            String tlsKeyFile) {
        public static final Central NONE = new Central(null, null, null, null, null, null, null, null, null, null);
    }

    /**
     * What {@code --host}, {@code --remote-write*} and {@code --scrape-interval} gave, as given
     * (files by their absolute path); every field may be null.
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Shipping(
            String host,
            List<String> remoteWrite,
            String bearerTokenFile,
            String basicAuthUser,
            String passwordFile,
            String caFile,
            String scrapeInterval) {
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
            return new Shipping(
                    given.host() != null ? given.host() : host,
                    remote.remoteWrite(),
                    remote.bearerTokenFile(),
                    remote.basicAuthUser(),
                    remote.passwordFile(),
                    remote.caFile(),
                    given.scrapeInterval() != null ? given.scrapeInterval() : scrapeInterval);
        }

        @JsonIgnore
        public boolean isEmpty() {
            return host == null && remoteWrite.isEmpty() && scrapeInterval == null;
        }
    }
}
