package dev.researchmon.sidecar.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.zip.GZIPOutputStream;

/**
 * {@code GET /metrics}: one scrape of the registry written straight to the connection (chunked,
 * gzip when asked), in the format the {@code Accept} header picks (client_java's writers).
 *
 * <p>client_java's own handler buffers a whole uncompressed answer in a byte array before sending
 * it; at the sidecar's limits that array alone is tens of megabytes per concurrent scrape, so this
 * handler streams instead: a scrape's memory is the snapshots (already held) and a 32 KiB buffer.
 * {@code name[]=...} selects families, as with client_java's handler.
 *
 * <pre>{@code
 * server.createContext("/metrics", new ScrapeHandler(registry));
 * }</pre>
 */
public final class ScrapeHandler implements HttpHandler {
    private static final int BUFFER_BYTES = 32 * 1024;
    /**
     * Scrapes served at once. Text formats stream series by series, but the protobuf writer builds
     * each family's message whole, so each concurrent scrape may hold the largest family twice over;
     * further readers wait their turn on their HTTP thread.
     */
    public static final int CONCURRENT_SCRAPES = 2;

    private final PrometheusRegistry registry;
    private final ExpositionFormats formats = ExpositionFormats.init();
    private final Semaphore scraping = new Semaphore(CONCURRENT_SCRAPES, true);

    public ScrapeHandler(PrometheusRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                plain(exchange, 405, method + " not allowed on /metrics; use GET\n");
                return;
            }
            try {
                scraping.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                plain(exchange, 503, "the sidecar is stopping\n");
                return;
            }
            try {
                serve(exchange, method);
            } finally {
                scraping.release();
            }
        }
    }

    private void serve(HttpExchange exchange, String method) throws IOException {
        Set<String> names = namesAsked(exchange.getRequestURI().getRawQuery());
        MetricSnapshots snapshots = names.isEmpty() ? registry.scrape() : registry.scrape(names::contains);
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        ExpositionFormatWriter writer = formats.findWriter(accept);
        exchange.getResponseHeaders().set("Content-Type", writer.getContentType());
        if (method.equals("HEAD")) {
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        boolean gzip = acceptsGzip(exchange.getRequestHeaders().getFirst("Accept-Encoding"));
        if (gzip) {
            exchange.getResponseHeaders().set("Content-Encoding", "gzip");
        }
        exchange.sendResponseHeaders(200, 0); // 0: chunked, the length is not known before writing
        OutputStream body = gzip
                ? new GZIPOutputStream(exchange.getResponseBody(), BUFFER_BYTES)
                : new BufferedOutputStream(exchange.getResponseBody(), BUFFER_BYTES);
        try (body) {
            writer.write(body, snapshots, EscapingScheme.fromAcceptHeader(accept));
        }
    }

    private static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String coding : acceptEncoding.split(",")) {
            if (coding.strip().toLowerCase(java.util.Locale.ROOT).startsWith("gzip")) {
                return !coding.replace(" ", "").endsWith(";q=0");
            }
        }
        return false;
    }

    private static Set<String> namesAsked(String rawQuery) {
        Set<String> names = new HashSet<>();
        if (rawQuery == null) {
            return names;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0
                    && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8)
                            .equals("name[]")) {
                names.add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return names;
    }

    static void plain(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
