package dev.researchmon.kernel.wire;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.HMACGenerator;

/**
 * Reads the connection file Jupyter starts a kernel with (parsed by jjava-jupyter) and checks that
 * it says everything the kernel needs, so that a bad file is told as such, not as a socket error.
 *
 * <pre>{@code
 * KernelConnectionProperties props = ConnectionFile.read(Path.of("kernel-1234.json"));
 * }</pre>
 */
public final class ConnectionFile {
    private ConnectionFile() {}

    public static KernelConnectionProperties read(Path file) throws WireFormatException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new WireFormatException("cannot read the connection file " + file + ": " + e.getMessage(), e);
        }
        KernelConnectionProperties props;
        try {
            props = KernelConnectionProperties.parse(text);
        } catch (RuntimeException e) {
            throw new WireFormatException("the connection file " + file + " is not valid JSON: " + e.getMessage(), e);
        }
        if (props == null || props.getIp() == null || props.getTransport() == null) {
            throw new WireFormatException("the connection file " + file + " lacks ip or transport");
        }
        int[] ports = {
            props.getShellPort(), props.getControlPort(), props.getStdinPort(), props.getHbPort(), props.getIopubPort()
        };
        for (int port : ports) {
            if (port <= 0 || port > 65535) {
                throw new WireFormatException("the connection file " + file
                        + " lacks one of shell_port, control_port, stdin_port, hb_port, iopub_port");
            }
        }
        return props;
    }

    /** The signer for the file's key and scheme ({@code hmac-sha256} as Jupyter writes it). */
    public static HMACGenerator signer(KernelConnectionProperties props) throws WireFormatException {
        try {
            return props.createHMACGenerator();
        } catch (Exception e) {
            throw new WireFormatException("unsupported signature scheme " + props.getSignatureScheme(), e);
        }
    }
}
