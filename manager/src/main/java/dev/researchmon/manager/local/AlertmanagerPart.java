package dev.researchmon.manager.local;

import dev.researchmon.manager.stack.ServiceSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Debian's Alertmanager on the project's alertmanager.yml, one instance, no cluster. */
final class AlertmanagerPart implements LocalPart {
    static final Path ALERTMANAGER = Path.of("/usr/bin/prometheus-alertmanager");

    @Override
    public String name() {
        return "alertmanager";
    }

    @Override
    public List<Path> needs(LocalContext context) {
        return List.of(ALERTMANAGER);
    }

    @Override
    public List<String> command(LocalContext context, int port) {
        ServiceSpec service = context.serviceOf(name());
        String config = service.flag("--config.file").orElse("/etc/alertmanager/alertmanager.yml");
        return List.of(
                ALERTMANAGER.toString(),
                "--config.file=" + service.hostPath(config),
                "--storage.path=" + dataDir(context).orElseThrow(),
                "--web.listen-address=127.0.0.1:" + port,
                // one Alertmanager, no cluster: do not open the gossip port
                "--cluster.listen-address=");
    }

    @Override
    public Optional<Path> dataDir(LocalContext context) {
        return Optional.of(context.stateDir().resolve("alertmanager/data"));
    }
}
