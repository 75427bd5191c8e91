package dev.researchmon.magics;

import dev.researchmon.report.SidecarEndpoints;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the monitoring services are, as the environment says, with the project's defaults.
 *
 * <pre>{@code
 * MonitoringSettings s = MonitoringSettings.fromEnvironment(System.getenv());
 * s.sidecarUrl();   // $RESEARCH_MONITOR_SIDECAR_URL or http://127.0.0.1:9464
 * }</pre>
 *
 * @param sidecarUrl    the sidecar, {@code $RESEARCH_MONITOR_SIDECAR_URL}
 * @param prometheusUrl Prometheus, {@code $RESEARCH_MONITOR_PROMETHEUS_URL}
 * @param grafanaUrl    Grafana, {@code $RESEARCH_MONITOR_GRAFANA_URL}
 * @param stateDir      {@code $RESEARCH_MONITOR_HOME} or {@code ~/.local/share/research-monitor}:
 *                      the sidecar's token and, when a kernel starts one, its log
 * @param sidecarJar    {@code $RESEARCH_MONITOR_SIDECAR_JAR} when set: the jar a kernel starts
 *                      when no sidecar answers
 */
public record MonitoringSettings(
        URI sidecarUrl, URI prometheusUrl, URI grafanaUrl, Path stateDir, Optional<Path> sidecarJar) {

    public static final String SIDECAR_URL = SidecarEndpoints.SIDECAR_URL_ENV;
    public static final String PROMETHEUS_URL = "RESEARCH_MONITOR_PROMETHEUS_URL";
    public static final String GRAFANA_URL = "RESEARCH_MONITOR_GRAFANA_URL";
    public static final String HOME = SidecarEndpoints.HOME_ENV;
    public static final String SIDECAR_JAR = "RESEARCH_MONITOR_SIDECAR_JAR";
    /**
     * The JVM property, set in an installed kernelspec's options file, that names the checkout's
     * {@code bin/metrics-sidecar}: the kernelspec runs its own copy of the kernel jar, which no
     * longer sits beside the checkout's launchers.
     */
    public static final String SIDECAR_LAUNCHER_PROPERTY = "research.monitor.sidecar-launcher";

    /** Reads the settings; a malformed URL is an {@link IllegalArgumentException} naming the variable. */
    public static MonitoringSettings fromEnvironment(Map<String, String> env) {
        // The sidecar's address and state dir are the report contract's: resolved in one place.
        Path stateDir = SidecarEndpoints.stateDir(env);
        String jar = env.get(SIDECAR_JAR);
        return new MonitoringSettings(
                url(env, SIDECAR_URL, "http://127.0.0.1:" + SidecarEndpoints.DEFAULT_PORT),
                url(env, PROMETHEUS_URL, "http://127.0.0.1:9090"),
                url(env, GRAFANA_URL, "http://127.0.0.1:3000"),
                stateDir,
                jar == null || jar.isBlank() ? Optional.empty() : Optional.of(Path.of(jar)));
    }

    private static URI url(Map<String, String> env, String name, String fallback) {
        String value = env.getOrDefault(name, "");
        if (value.isBlank()) {
            value = fallback;
        }
        // A trailing slash would double up when paths are appended.
        value = value.replaceAll("/+$", "");
        try {
            URI uri = URI.create(value);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + "=" + value + " is not a usable URL: " + e.getMessage(), e);
        }
    }

    /** {@code base} with {@code path} appended. */
    public static URI resolve(URI base, String path) {
        return URI.create(base.toString() + path);
    }
}
