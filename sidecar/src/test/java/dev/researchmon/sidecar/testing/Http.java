package dev.researchmon.sidecar.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/** Small HTTP helpers for the tests: GETs, polling {@code /metrics} until a condition holds. */
public final class Http {
    public static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Http() {}

    public static HttpResponse<String> get(String url, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
        if (accept != null) {
            r.header("Accept", accept);
        }
        return CLIENT.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    public static String metrics(int port) throws IOException, InterruptedException {
        return get("http://127.0.0.1:" + port + "/metrics", "text/plain").body();
    }

    /** Polls {@code /metrics} until {@code condition} holds; returns that exposition. */
    public static String awaitMetrics(int port, Predicate<String> condition, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                last = metrics(port);
                if (condition.test(last)) {
                    return last;
                }
            } catch (IOException notUpYet) {
                last = notUpYet.toString();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("condition not met within " + timeout + "; last scrape:\n" + last);
    }
}
