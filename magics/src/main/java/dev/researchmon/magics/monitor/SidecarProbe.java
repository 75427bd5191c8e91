package dev.researchmon.magics.monitor;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Whether a service answers its health endpoint: the sidecar's {@code /-/healthy}, Prometheus's
 * {@code /-/healthy}, Grafana's {@code /api/health}.
 *
 * <pre>{@code
 * new SidecarProbe(Duration.ofSeconds(1)).answers(URI.create("http://127.0.0.1:9464"));
 * }</pre>
 */
public final class SidecarProbe {
    private final HttpClient http;
    private final Duration timeout;

    public SidecarProbe(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** True when {@code base + "/-/healthy"} answers 2xx. */
    public boolean answers(URI base) {
        return answers(base, "/-/healthy");
    }

    /** True when {@code base + path} answers 2xx within the timeout. */
    public boolean answers(URI base, String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout).GET().build();
            int code = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return code / 100 == 2;
        } catch (java.io.IOException | IllegalArgumentException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
