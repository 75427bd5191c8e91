package dev.researchmon.report;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the sidecar listens and where its token lives, resolved the same way by kernels and by the
 * sidecar.
 *
 * <pre>{@code
 * URI base = SidecarEndpoints.baseUri(System.getenv());          // http://127.0.0.1:9464
 * Path token = SidecarEndpoints.defaultTokenFile(System.getenv()); // ~/.local/share/research-monitor/sidecar.token
 * }</pre>
 */
public final class SidecarEndpoints {
    /** The sidecar's default port, as in Prometheus's {@code research} job. */
    public static final int DEFAULT_PORT = 9464;

    /** Overrides the sidecar's base URL for kernels, e.g. {@code http://127.0.0.1:19464}. */
    public static final String SIDECAR_URL_ENV = "RESEARCH_MONITOR_SIDECAR_URL";

    /** The state directory holding the token file; default {@code ~/.local/share/research-monitor}. */
    public static final String HOME_ENV = "RESEARCH_MONITOR_HOME";

    public static final String TOKEN_FILE_NAME = "sidecar.token";
    public static final String METRICS_PATH = "/metrics";
    public static final String HEALTH_PATH = "/-/healthy";
    /** Prefix of every kernel resource: {@code /api/v1/kernels/<id>} and {@code .../<id>/report}. */
    public static final String KERNELS_PATH = "/api/v1/kernels/";

    /** How {@link #HEALTH_PATH}'s answer starts, naming the program (see {@link #healthLine}). */
    public static final String HEALTH_PREFIX = "metrics-sidecar is healthy; pid ";

    private SidecarEndpoints() {}

    /** The sidecar's answer on {@link #HEALTH_PATH}: {@code metrics-sidecar is healthy; pid 4242}. */
    public static String healthLine(long pid) {
        return HEALTH_PREFIX + pid;
    }

    /**
     * The pid a {@link #HEALTH_PATH} answer names when it is this project's sidecar's, else -1
     * (another program answering on the port).
     */
    public static long pidOfHealthLine(String body) {
        if (body == null || !body.startsWith(HEALTH_PREFIX)) {
            return -1;
        }
        try {
            return Long.parseLong(body.substring(HEALTH_PREFIX.length()).strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The sidecar's base URL: {@value #SIDECAR_URL_ENV} if set, else loopback on the default port. */
    public static URI baseUri(Map<String, String> env) {
        String configured = env.get(SIDECAR_URL_ENV);
        if (configured != null && !configured.isBlank()) {
            String trimmed = configured.strip();
            return URI.create(trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed);
        }
        return URI.create("http://127.0.0.1:" + DEFAULT_PORT);
    }

    /** The state directory: {@value #HOME_ENV} if set, else {@code ~/.local/share/research-monitor}. */
    public static Path stateDir(Map<String, String> env) {
        String home = env.get(HOME_ENV);
        if (home != null && !home.isBlank()) {
            return Path.of(home);
        }
        return Path.of(System.getProperty("user.home"), ".local", "share", "research-monitor");
    }

    /** {@code sidecar.token} in the state directory. */
    public static Path defaultTokenFile(Map<String, String> env) {
        return stateDir(env).resolve(TOKEN_FILE_NAME);
    }

    /** Path of the kernel resource ({@code DELETE} forgets the kernel). */
    public static String kernelPath(String kernelId) {
        return KERNELS_PATH + URLEncoder.encode(kernelId, StandardCharsets.UTF_8);
    }

    /** Path a kernel {@code POST}s its reports to. */
    public static String reportPath(String kernelId) {
        return kernelPath(kernelId) + "/report";
    }
}
