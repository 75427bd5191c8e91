package dev.researchmon.sidecar.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.researchmon.report.KernelReport;
import dev.researchmon.report.PayloadTooLargeException;
import dev.researchmon.report.ReportCodec;
import dev.researchmon.report.ReportError;
import dev.researchmon.report.ReportFormatException;
import dev.researchmon.report.SidecarEndpoints;
import dev.researchmon.sidecar.SidecarMetrics;
import dev.researchmon.sidecar.SidecarMetrics.RequestOutcome;
import dev.researchmon.sidecar.notebook.AcceptResult;
import dev.researchmon.sidecar.notebook.KernelRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.Semaphore;
import java.util.regex.Pattern;

/**
 * The kernel report endpoint on the sidecar's HTTP server: {@code POST /api/v1/kernels/<id>/report}
 * and {@code DELETE /api/v1/kernels/<id>}. Only loopback peers holding the token get through,
 * whatever address the server binds. Every refusal is a JSON {@code {"error": reason}}, and the
 * status codes are decided here and nowhere else.
 *
 * <pre>{@code
 * HTTPServer.builder().defaultHandler(new ReportEndpoint(kernels, token, metrics))...
 * }</pre>
 */
public final class ReportEndpoint implements HttpHandler {
    /** Jupyter kernel ids are UUIDs; this also admits other plain ids but nothing needing escapes. */
    private static final Pattern KERNEL_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    /**
     * Reports read and decoded at once. Each holds its body and its decoded form (a few times the
     * body) on the heap until it is accepted, so this and the body bound bound that memory whatever
     * many kernels send together; the others wait their turn on their HTTP thread.
     */
    public static final int CONCURRENT_REPORTS = 2;

    private final KernelRegistry kernels;
    private final byte[] token;
    private final SidecarMetrics metrics;
    private final Semaphore decoding = new Semaphore(CONCURRENT_REPORTS, true);

    public ReportEndpoint(KernelRegistry kernels, String token, SidecarMetrics metrics) {
        this.kernels = kernels;
        this.token = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.metrics = metrics;
    }

    /** A refusal: status, reason and the outcome it is counted as. */
    private static final class Refusal extends Exception {
        final int status;
        final RequestOutcome outcome;

        Refusal(int status, RequestOutcome outcome, String reason) {
            super(reason, null, false, false);
            this.status = status;
            this.outcome = outcome;
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                handleChecked(exchange);
            } catch (Refusal refusal) {
                metrics.request(refusal.outcome);
                // the request's body may be unread: the server then drops the connection, and a
                // client told so does not send its next request down it
                exchange.getResponseHeaders().set("Connection", "close");
                if (refusal.status == 401) {
                    exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                }
                sendJson(exchange, refusal.status, new ReportError(refusal.getMessage()));
            }
        }
    }

    private void handleChecked(HttpExchange exchange) throws IOException, Refusal {
        String path = exchange.getRequestURI().getRawPath();
        if (!path.startsWith(SidecarEndpoints.KERNELS_PATH)) {
            throw new Refusal(
                    404,
                    RequestOutcome.NOT_FOUND,
                    "no such resource; endpoints: /metrics, /-/healthy, " + SidecarEndpoints.KERNELS_PATH
                            + "<id>/report");
        }
        if (!acceptsPeer(exchange.getRemoteAddress().getAddress())) {
            throw new Refusal(403, RequestOutcome.FORBIDDEN, "reports are accepted from loopback only");
        }
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !MessageDigest.isEqual(token, auth.getBytes(StandardCharsets.UTF_8))) {
            throw new Refusal(
                    401,
                    RequestOutcome.UNAUTHORIZED,
                    auth == null ? "missing Authorization: Bearer <token>" : "wrong token");
        }
        String rest = path.substring(SidecarEndpoints.KERNELS_PATH.length());
        boolean report = rest.endsWith("/report");
        String kernelId = URLDecoder.decode(
                report ? rest.substring(0, rest.length() - "/report".length()) : rest, StandardCharsets.UTF_8);
        if (!KERNEL_ID.matcher(kernelId).matches()) {
            throw new Refusal(
                    404, RequestOutcome.NOT_FOUND, "kernel id must be 1-128 characters of A-Z a-z 0-9 . _ : -");
        }
        String method = exchange.getRequestMethod();
        if (report && method.equals("POST")) {
            accept(exchange, kernelId);
        } else if (!report && method.equals("DELETE")) {
            kernels.forget(kernelId);
            metrics.request(RequestOutcome.FORGOTTEN);
            exchange.sendResponseHeaders(204, -1);
        } else {
            exchange.getResponseHeaders().set("Allow", report ? "POST" : "DELETE");
            throw new Refusal(
                    405,
                    RequestOutcome.METHOD_NOT_ALLOWED,
                    method + " not allowed here; use " + (report ? "POST" : "DELETE"));
        }
    }

    /**
     * Only writers on this machine's loopback may report, whatever address /metrics is bound to: the
     * token proves the user, loopback proves the machine (a token copied elsewhere is useless).
     */
    static boolean acceptsPeer(InetAddress peer) {
        return peer != null && peer.isLoopbackAddress();
    }

    private void accept(HttpExchange exchange, String kernelId) throws IOException, Refusal {
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new Refusal(
                    415, RequestOutcome.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json, was " + type);
        }
        long limit = kernels.limits().maxBodyBytes();
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null && parseLength(length) > limit) {
            throw new Refusal(413, RequestOutcome.TOO_LARGE, "report body exceeds " + limit + " bytes");
        }
        try {
            decoding.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refusal(503, RequestOutcome.MALFORMED, "the sidecar is stopping");
        }
        AcceptResult result;
        try {
            KernelReport report;
            try (InputStream body = exchange.getRequestBody()) {
                report = ReportCodec.decode(body, limit);
            } catch (PayloadTooLargeException e) {
                throw new Refusal(413, RequestOutcome.TOO_LARGE, e.getMessage());
            } catch (ReportFormatException e) {
                throw new Refusal(400, RequestOutcome.MALFORMED, e.getMessage());
            }
            if (!kernelId.equals(report.kernelId())) {
                throw new Refusal(
                        400,
                        RequestOutcome.MALFORMED,
                        "kernel_id " + report.kernelId() + " in the body differs from " + kernelId + " in the path");
            }
            result = kernels.accept(report);
        } finally {
            decoding.release();
        }
        metrics.request(RequestOutcome.ACCEPTED);
        sendJson(exchange, 200, result.toAck());
    }

    private static long parseLength(String header) throws Refusal {
        try {
            return Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            throw new Refusal(400, RequestOutcome.MALFORMED, "bad Content-Length " + header);
        }
    }

    private static void sendJson(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = ReportCodec.write(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
