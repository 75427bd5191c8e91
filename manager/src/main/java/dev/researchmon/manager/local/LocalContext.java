package dev.researchmon.manager.local;

import dev.researchmon.manager.prometheus.HostShipping;
import dev.researchmon.manager.stack.ServiceSpec;
import dev.researchmon.manager.stack.StackDescription;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a {@link LocalPart} may know of the runtime that starts it: the checkout, the state folder,
 * the stack description and where the other parts listen.
 *
 * @param repoRoot   the checkout (bin/ launchers, built jars, monitoring/ configuration)
 * @param stateDir   pid records, logs, generated configuration and data of the local stack
 * @param stack      docker/compose.yaml, variables substituted
 * @param ports      part name to the loopback port it listens on (or will)
 * @param logs       where each part's output goes
 * @param out        the user's terminal, for what a part tells while it prepares
 */
public record LocalContext(
        Path repoRoot,
        Path stateDir,
        StackDescription stack,
        Map<String, Integer> ports,
        HostShipping shipping,
        ProcessSupervisor logs,
        PrintWriter out) {
    public LocalContext {
        ports = Map.copyOf(ports);
    }

    /** The compose service a part belongs to (the one whose x-health names it). */
    public ServiceSpec serviceOf(String part) {
        return stack.services().stream()
                .filter(s -> s.health().stream().anyMatch(h -> h.part().equals(part)))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no x-health entry names part " + part));
    }

    /** The loopback port of another part. */
    public int port(String part) {
        Integer port = ports.get(part);
        if (port == null) {
            throw new IllegalArgumentException("no port known for part " + part);
        }
        return port;
    }

    public Path logFile(String part) {
        return logs.logFile(part);
    }
}
