package dev.researchmon.sidecar.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** The peer rule alone (no traffic leaves loopback in tests); the endpoint itself runs in ReportEndpointIT. */
class ReportEndpointTest {

    @Test
    void loopbackPeers_mayReport() throws Exception {
        assertTrue(ReportEndpoint.acceptsPeer(InetAddress.getByName("127.0.0.1")));
        assertTrue(ReportEndpoint.acceptsPeer(InetAddress.getByName("127.8.9.10")));
        assertTrue(ReportEndpoint.acceptsPeer(InetAddress.getByName("::1")));
    }

    @Test
    void otherPeers_mayNotReport() throws Exception {
        assertFalse(ReportEndpoint.acceptsPeer(InetAddress.getByName("10.0.0.7")));
        assertFalse(ReportEndpoint.acceptsPeer(InetAddress.getByName("192.168.1.20")));
        assertFalse(ReportEndpoint.acceptsPeer(InetAddress.getByName("0.0.0.0")));
        assertFalse(ReportEndpoint.acceptsPeer(null));
    }
}
