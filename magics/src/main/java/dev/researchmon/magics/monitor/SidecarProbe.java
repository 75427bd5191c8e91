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
    private final Duration answerTimeout;

    /**
     * @param timeout how long to wait for the connection. A service that is down refuses a
     *     loopback connection at once; one that accepted it is alive, and is given five times as
     *     long to answer, since a cold JVM on a loaded machine (the sidecar's first request, this
     *     kernel's first HTTP client) can take seconds. Reading slowness as "down" made
     *     {@code %monitoring on} start a second sidecar on a busy port.
     */
    public SidecarProbe(Duration timeout) {
        this.answerTimeout = timeout.multipliedBy(5);
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** True when {@code base + "/-/healthy"} answers 2xx. */
    public boolean answers(URI base) {
        return answers(base, "/-/healthy");
    }

    /** True when {@code base + path} answers 2xx in time. */
    public boolean answers(URI base, String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(answerTimeout)
                    .GET()
                    .build();
            int code =
                    http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return code / 100 == 2;
        } catch (java.io.IOException | IllegalArgumentException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
