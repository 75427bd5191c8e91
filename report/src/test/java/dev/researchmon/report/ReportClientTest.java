package dev.researchmon.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
}
