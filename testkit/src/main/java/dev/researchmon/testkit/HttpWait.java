package dev.researchmon.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Waits for an HTTP endpoint to answer 200, the one loop every test that starts a server needs.
 * A failure says which URL, for how long, and whatever the caller adds (a process's or container's
 * log tail); a process that exits meanwhile fails the wait at once instead of at the deadline.
 *
 * <pre>{@code
 * HttpWait.awaitOk(URI.create("http://127.0.0.1:" + port + "/-/healthy"), Duration.ofSeconds(30), sidecar);
 * HttpWait.awaitOk(jupyterUrl.resolve("/api"), Duration.ofMinutes(2), container::logs);
 * }</pre>
 */
public final class HttpWait {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final long POLL_MILLIS = 250;

    /** What to add to a failure message: a log tail, a container's log. */
    @FunctionalInterface
    public interface Context {
        String describe() throws Exception;
    }

    private HttpWait() {}

    /** Waits for {@code url} to answer 200; fails with {@code context} after {@code timeout}. */
    public static void awaitOk(URI url, Duration timeout, Context context) throws IOException, InterruptedException {
        await(url, timeout, () -> true, context);
    }

    /** Waits for {@code url} to answer 200 while {@code process} runs; fails with its log's tail. */
    public static void awaitOk(URI url, Duration timeout, ManagedProcess process)
            throws IOException, InterruptedException {
        await(url, timeout, process::isAlive, () -> process.logTail(30));
    }

    /** Waits for {@code url} to answer 200. */
    public static void awaitOk(URI url, Duration timeout) throws IOException, InterruptedException {
        await(url, timeout, () -> true, () -> "");
    }

    /** Whether {@code url} answers 200 now. */
    public static boolean isOk(URI url) throws InterruptedException {
        try {
            return HTTP.send(
                                    HttpRequest.newBuilder(url)
                                            .timeout(Duration.ofSeconds(5))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    private static void await(URI url, Duration timeout, Supplier<Boolean> alive, Context context)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean running = alive.get();
            if (isOk(url)) {
                return;
            }
            if (!running || System.nanoTime() > deadline) {
                String why = running
                        ? " did not answer 200 within " + timeout.toSeconds() + " s"
                        : " never answered 200: its server exited";
                throw new IOException(url + why + describe(context));
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private static String describe(Context context) {
        try {
            String more = context.describe();
            return more == null || more.isBlank() ? "" : "\n" + more;
        } catch (Exception e) {
            return "\n(" + e + " while gathering the log)";
        }
    }
}
