package dev.researchmon.manager.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import dev.researchmon.report.SidecarEndpoints;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** A sidecar is adopted by what report's health line says, and nothing else is mistaken for one. */
class ProjectSidecarTest {
    @Test
    void theSidecarsHealthLine_givesItsPid() throws IOException {
        assertEquals(OptionalLong.of(4242), pidOfAServerAnswering(200, SidecarEndpoints.healthLine(4242)));
    }

    @Test
    void anotherProgram_orAnUnhealthySidecar_isNotAdopted() throws IOException {
        assertEquals(OptionalLong.empty(), pidOfAServerAnswering(200, "OK"));
        assertEquals(OptionalLong.empty(), pidOfAServerAnswering(503, SidecarEndpoints.healthLine(4242)));
    }

    private static OptionalLong pidOfAServerAnswering(int status, String body) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(SidecarEndpoints.HEALTH_PATH, exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        try {
            return ProjectSidecar.pidOn(server.getAddress().getPort());
        } finally {
            server.stop(0);
        }
    }
}
