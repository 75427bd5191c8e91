package dev.researchmon.manager;

import dev.researchmon.manager.stack.HealthEndpoint;
import dev.researchmon.manager.stack.PortBinding;
import dev.researchmon.manager.stack.ServiceSpec;
import dev.researchmon.manager.stack.StackDescription;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checks the stack's ports before anything starts: a TCP port taken by another program, and two
 * parts given the same port, are reported with the option that moves them, instead of as a part
 * that never gets healthy after the others are up.
 *
 * <pre>{@code
 * PortGuard.refuseShared(stack);     // usage error: prometheus and jupyter are both given port 9090
 * if (!PortGuard.isFree(9090)) { ... }
 * }</pre>
 */
public final class PortGuard {
    private PortGuard() {}

    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The error for a taken port, naming the option that moves it. */
    public static ManagerException taken(int port, String part, String option) {
        return new ManagerException("port " + port + " (" + part + ") is already in use by another program; "
                + "stop it or choose another port with " + option);
    }

    /** Two parts published on the same host port: the second would fail at start, after the first is up. */
    public static void refuseShared(StackDescription stack) {
        Map<String, String> owners = new LinkedHashMap<>();
        for (ServiceSpec service : stack.services()) {
            for (PortBinding binding : service.ports()) {
                String part = service.health().stream()
                        .filter(h -> h.containerPort() == binding.containerPort())
                        .map(HealthEndpoint::part)
                        .findFirst()
                        .orElse(service.name());
                String other = owners.putIfAbsent(binding.hostPort() + "/" + binding.protocol(), part);
                if (other != null) {
                    throw new UsageException(other + " and " + part + " are both given port " + binding.hostPort()
                            + "; give each its own (--" + other + "-port, --" + part + "-port)");
                }
            }
        }
    }
}
