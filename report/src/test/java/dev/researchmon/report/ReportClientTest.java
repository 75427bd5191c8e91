package dev.researchmon.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client's failure modes that need no sidecar; the rest runs against the real sidecar in its ITs. */
class ReportClientTest {
    @TempDir
    Path tmp;

    @Test
    void nobodyListening_isDown() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path token = tmp.resolve("sidecar.token");
        TokenFile.readOrCreate(token);
        ReportClient client = new ReportClient(URI.create("http://127.0.0.1:" + port), token);
        ReportException e =
                assertThrows(ReportException.class, () -> client.report(new KernelReport("k", "", null, 1, List.of())));
        assertEquals(ReportException.Kind.DOWN, e.kind());
    }

    @Test
    void noTokenFile_isDown() {
        ReportClient client = new ReportClient(URI.create("http://127.0.0.1:9"), tmp.resolve("absent"));
        ReportException e = assertThrows(ReportException.class, () -> client.forget("k"));
        assertEquals(ReportException.Kind.DOWN, e.kind());
    }

    @Test
    void environment_choosesUrlAndStateDir() {
        Map<String, String> env = Map.of(
                SidecarEndpoints.SIDECAR_URL_ENV, "http://127.0.0.1:1234/",
                SidecarEndpoints.HOME_ENV, "/srv/rm");
        assertEquals(URI.create("http://127.0.0.1:1234"), SidecarEndpoints.baseUri(env));
        assertEquals(Path.of("/srv/rm/sidecar.token"), SidecarEndpoints.defaultTokenFile(env));
        assertEquals(URI.create("http://127.0.0.1:9464"), SidecarEndpoints.baseUri(Map.of()));
        assertEquals("/api/v1/kernels/a%2Fb/report", SidecarEndpoints.reportPath("a/b"));
    }

    /**
     * A server that answers each connection's first request and closes the connection when the
     * next one comes down it, unanswered: the client's second report meets that dead connection
     * first ("header parser received no bytes") and must get through on a new one.
     */
    @Test
    void keptAliveConnectionClosedByTheSidecar_reportGoesThroughOnANewOne() throws Exception {
        Path token = tmp.resolve("sidecar.token");
        TokenFile.readOrCreate(token);
        byte[] ack = "{\"accepted\":1,\"dropped\":0,\"drops\":[]}".getBytes(StandardCharsets.UTF_8);
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread serving = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        connections.incrementAndGet();
                        BufferedReader in = new BufferedReader(
                                new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                        int length = 0;
                        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                                length = Integer.parseInt(line.substring(15).strip());
                            }
                        }
                        in.skip(length);
                        OutputStream out = s.getOutputStream();
                        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + ack.length
                                        + "\r\n\r\n")
                                .getBytes(StandardCharsets.ISO_8859_1));
                        out.write(ack);
                        out.flush();
                        // the client keeps the connection; its next request on it gets no answer:
                        // the connection closes under it, as one closed by the server just as the
                        // request went out
                        in.readLine();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            serving.setDaemon(true);
            serving.start();
            ReportClient client = new ReportClient(URI.create("http://127.0.0.1:" + server.getLocalPort()), token);
            KernelReport report = new KernelReport("k", "", null, 1, List.of());
            assertEquals(1, client.report(report).accepted());
            assertEquals(1, client.report(report).accepted());
            assertEquals(2, connections.get(), "the second report went out on a new connection");
        }
    }
}
