package dev.researchmon.manager.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Debian's node-exporter on loopback, with compose's collector switches. */
final class NodeExporterPart implements LocalPart {
    static final Path NODE_EXPORTER = Path.of("/usr/bin/prometheus-node-exporter");

    @Override
    public String name() {
        return "node-exporter";
    }

    @Override
    public List<Path> needs(LocalContext context) {
        return List.of(NODE_EXPORTER);
    }

    @Override
    public List<String> command(LocalContext context, int port) {
        List<String> command =
                new ArrayList<>(List.of(NODE_EXPORTER.toString(), "--web.listen-address=127.0.0.1:" + port));
        // collector switches carry over; the container's /host paths do not
        context.serviceOf(name()).command().stream()
                .filter(a -> a.startsWith("--no-collector.") || a.startsWith("--collector."))
                .forEach(command::add);
        return command;
    }
}
