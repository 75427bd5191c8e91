package dev.researchmon.kernel.wire;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;

/**
 * A connection of the kernel's own making, for the runs it drives itself (the class archive's
 * training kernel, the protocol rehearsal): loopback TCP, five free ports, a fresh key.
 *
 * <pre>{@code
 * LoopbackConnection c = LoopbackConnection.onFreePorts("research-kernel-archive");
 * Files.writeString(connectionFile, c.json());
 * }</pre>
 */
public record LoopbackConnection(int shell, int control, int stdin, int hb, int iopub, String key, String kernelName) {

    /** Five distinct ports the machine gave out just now (all held at once, so none twice). */
    public static LoopbackConnection onFreePorts(String kernelName) throws IOException {
        int[] ports = new int[5];
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < ports.length; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(s);
                ports[i] = s.getLocalPort();
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return new LoopbackConnection(
                ports[0], ports[1], ports[2], ports[3], ports[4], HexFormat.of().formatHex(key), kernelName);
    }

    /** The connection file's text, as Jupyter writes one. */
    public String json() throws IOException {
        return new ObjectMapper()
                .writeValueAsString(Map.of(
                        "transport",
                        "tcp",
                        "ip",
                        "127.0.0.1",
                        "shell_port",
                        shell,
                        "control_port",
                        control,
                        "stdin_port",
                        stdin,
                        "hb_port",
                        hb,
                        "iopub_port",
                        iopub,
                        "key",
                        key,
                        "signature_scheme",
                        "hmac-sha256",
                        "kernel_name",
                        kernelName));
    }

    public KernelConnectionProperties properties() throws IOException {
        return KernelConnectionProperties.parse(json());
    }

    public String address(int port) {
        return "tcp://127.0.0.1:" + port;
    }
}
