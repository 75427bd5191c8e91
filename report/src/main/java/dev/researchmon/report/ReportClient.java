package dev.researchmon.report;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Sends a kernel's reports to the sidecar. Calls block for at most a couple of seconds, so run them
 * off the cell thread (a single-thread scheduler in the kernel is enough). Thread-safe.
 *
 * <pre>{@code
 * ReportClient client = ReportClient.fromEnvironment(System.getenv());
 * ReportAck ack = client.report(new KernelReport(id, notebook, pid, seq++, families));
 * client.forget(id); // %monitoring off: the kernel's series leave /metrics at once
 * }</pre>
 */
public final class ReportClient {
    private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(500);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

    private final URI base;
    private final Path tokenFile;
    private final HttpClient http;
    private volatile String token;

    public ReportClient(URI base, Path tokenFile) {
        this.base = base;
        this.tokenFile = tokenFile;
        this.http = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** A client for the sidecar and token file named by the environment (see {@link SidecarEndpoints}). */
    public static ReportClient fromEnvironment(Map<String, String> env) {
        return new ReportClient(SidecarEndpoints.baseUri(env), SidecarEndpoints.defaultTokenFile(env));
    }

    public URI baseUri() {
        return base;
    }

    /** Posts one report; returns how many series the sidecar kept and dropped. */
    public ReportAck report(KernelReport report) throws ReportException {
        byte[] body = ReportCodec.encode(report);
        HttpResponse<byte[]> response = send(SidecarEndpoints.reportPath(report.kernelId()), "POST", body);
        try {
            return ReportCodec.read(response.body(), ReportAck.class);
        } catch (ReportFormatException e) {
            throw new ReportException(
                    ReportException.Kind.REJECTED,
                    response.statusCode(),
                    "sidecar answered with an unreadable acknowledgement: " + e.getMessage(),
                    e);
        }
    }

    /** Tells the sidecar to drop the kernel's series now. Forgetting an unknown kernel is not an error. */
    public void forget(String kernelId) throws ReportException {
        send(SidecarEndpoints.kernelPath(kernelId), "DELETE", null);
    }

    private HttpResponse<byte[]> send(String path, String method, byte[] body) throws ReportException {
        HttpResponse<byte[]> response = sendOnce(path, method, body, currentToken(false));
        if (response.statusCode() == 401) {
            // A restarted sidecar may have written a new token: read it again before giving up.
            response = sendOnce(path, method, body, currentToken(true));
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            return response;
        }
        String reason = reasonOf(response);
        if (status == 401) {
            throw new ReportException(
                    ReportException.Kind.UNAUTHORIZED,
                    status,
                    "sidecar at " + base + " refused the token in " + tokenFile + ": " + reason,
                    null);
        }
        throw new ReportException(
                ReportException.Kind.REJECTED,
                status,
                "sidecar at " + base + " rejected the request (" + status + "): " + reason,
                null);
    }

    private HttpResponse<byte[]> sendOnce(String path, String method, byte[] body, String bearer)
            throws ReportException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + bearer);
        if (body != null) {
            request.header("Content-Type", "application/json");
            request.method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            try {
                return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (ConnectException | HttpTimeoutException e) {
                throw e; // down or stuck: asking again would only wait again
            } catch (IOException stale) {
                // A kept-alive connection the sidecar had closed (it closes after refusing a
                // request whose body it did not read; "header parser received no bytes"): once more,
                // on a new connection. A report is a whole snapshot, so a repeated one changes nothing.
                return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            }
        } catch (IOException e) {
            throw new ReportException(
                    ReportException.Kind.DOWN, 0, "sidecar at " + base + " is not reachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReportException(ReportException.Kind.DOWN, 0, "interrupted while reporting", e);
        }
    }

    private String currentToken(boolean reread) throws ReportException {
        String cached = token;
        if (cached != null && !reread) {
            return cached;
        }
        try {
            cached = TokenFile.read(tokenFile);
            token = cached;
            return cached;
        } catch (IOException e) {
            // No token file means no sidecar has ever run for this user: same as the sidecar being down.
            throw new ReportException(
                    ReportException.Kind.DOWN,
                    0,
                    "cannot read the sidecar token " + tokenFile + ": " + e.getMessage(),
                    e);
        }
    }

    private static String reasonOf(HttpResponse<byte[]> response) {
        try {
            ReportError error = ReportCodec.read(response.body(), ReportError.class);
            if (error != null && error.error() != null) {
                return error.error();
            }
        } catch (ReportFormatException ignored) {
            // not our JSON: fall through to the raw body
        }
        String raw = new String(response.body(), StandardCharsets.UTF_8).strip();
        return raw.length() > 200 ? raw.substring(0, 200) + "..." : raw;
    }
}
