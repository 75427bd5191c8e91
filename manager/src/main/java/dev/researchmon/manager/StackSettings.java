package dev.researchmon.manager;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the stack was last enabled: what a later {@code --enable-monitoring}, {@code --status} or
 * {@code --no-monitoring} without flags means, kept in the state folder by {@link SettingsFile}.
 * Never a secret: the Grafana password stays in the environment.
 *
 * @param runtime     "docker" or "local", the one that ran (never "auto")
 * @param dockerHost  the Docker API address, for the docker runtime
 * @param composeFile the stack description
 * @param ports       part name (prometheus, grafana, ...) to the host port it was given
 * @param grafanaUser Grafana's admin user, when one was given
 *
 * <pre>{@code
 * StackSettings s = new StackSettings("local", null, "/srv/research-monitor/docker/compose.yaml", Map.of("prometheus", 19090), null);
 * }</pre>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StackSettings(String runtime, String dockerHost, String composeFile, Map<String, Integer> ports,
                            String grafanaUser) {
    public StackSettings {
        ports = ports == null ? Map.of() : Map.copyOf(new TreeMap<>(ports));
    }
}
