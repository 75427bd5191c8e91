package dev.researchmon.manager;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * "Healthy" means the part's HTTP health endpoint answers with a 2xx status.
 *
 * <pre>{@code
 * new HealthProbe().healthy(URI.create("http://127.0.0.1:9090/-/healthy"));
 * }</pre>
 */
public final class HealthProbe {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
    private final HttpClient http;

    public HealthProbe() {
        this(HttpClient.newBuilder());
    }

    /** A probe of https endpoints whose certificates {@code tls} trusts. */
    public HealthProbe(javax.net.ssl.SSLContext tls) {
        this(HttpClient.newBuilder().sslContext(tls));
    }

    private HealthProbe(HttpClient.Builder builder) {
        http = builder.connectTimeout(REQUEST_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL) // e.g. /api -> /api/
                .build();
    }

    public boolean healthy(URI url) {
        try {
            HttpRequest request =
                    HttpRequest.newBuilder(url).timeout(REQUEST_TIMEOUT).GET().build();
            int code =
                    http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return code >= 200 && code < 300;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Polls until every endpoint is healthy or the deadline passes; returns the ones still unhealthy
     * (empty when all are healthy). {@code diedPart} names a part whose process has already died
     * (or returns null), so that the caller stops waiting early.
     */
    public Map<String, URI> awaitHealthy(Map<String, URI> endpoints, Duration timeout, Supplier<String> diedPart) {
        Map<String, URI> pending = new LinkedHashMap<>(endpoints);
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            pending.entrySet().removeIf(e -> healthy(e.getValue()));
            if (pending.isEmpty() || Instant.now().isAfter(deadline) || diedPart.get() != null) {
                return pending;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return pending;
            }
        }
    }
}
