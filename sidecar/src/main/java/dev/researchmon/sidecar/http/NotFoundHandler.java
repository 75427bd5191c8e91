package dev.researchmon.sidecar.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.researchmon.report.ReportCodec;
import dev.researchmon.report.ReportError;
import java.io.IOException;

/**
 * Answers every path the server has no handler for with a JSON 404, e.g. the report endpoint when
 * the notebook collector is switched off (instead of client_java's HTML landing page, which a
 * reporting kernel would misread).
 */
public final class NotFoundHandler implements HttpHandler {
    private final byte[] body;

    public NotFoundHandler(String reason) {
        this.body = ReportCodec.write(new ReportError(reason));
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(404, body.length);
            exchange.getResponseBody().write(body);
        }
    }
}
