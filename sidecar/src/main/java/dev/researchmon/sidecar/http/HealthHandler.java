package dev.researchmon.sidecar.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.researchmon.report.SidecarEndpoints;
import java.io.IOException;

/**
 * {@code GET /-/healthy}: 200 with a line naming the sidecar and its pid, so that whoever finds
 * something on the sidecar's port (the manager, {@code %monitoring on}) can tell this project's
 * sidecar from another program, and name or adopt it.
 *
 * <pre>{@code
 * server.createContext("/-/healthy", new HealthHandler());  // "metrics-sidecar is healthy; pid 4242"
 * }</pre>
 */
public final class HealthHandler implements HttpHandler {
    private final String line =
            SidecarEndpoints.healthLine(ProcessHandle.current().pid()) + "\n";

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            ScrapeHandler.plain(exchange, 200, line);
        }
    }
}
