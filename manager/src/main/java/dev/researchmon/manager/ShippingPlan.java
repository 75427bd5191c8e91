package dev.researchmon.manager;

import dev.researchmon.manager.prometheus.HostShipping;
import dev.researchmon.manager.prometheus.RemoteWrite;
import dev.researchmon.manager.prometheus.RemoteWriteCheck;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the host's Prometheus gets from the resolved shipping settings: the host label (the machine's
 * name when none is given) and one {@link RemoteWrite} per store, with the warnings and checks that
 * go with them. A remote write only remembered is checked only where it is used, when enabling:
 * {@code --status} and {@code --no-monitoring} work even if its token file has gone.
 *
 * <pre>{@code
 * HostShipping shipping = new ShippingPlan(settingsFile, err).hostShipping(resolver.shipping(), true, enabling);
 * }</pre>
 */
final class ShippingPlan {
    private final Path settingsFile;
    private final PrintWriter err;

    /** @param settingsFile stack.json, named when a remembered remote write no longer works */
    ShippingPlan(Path settingsFile, PrintWriter err) {
        this.settingsFile = settingsFile;
        this.err = err;
    }

    /**
     * @param fromMemory whether the remote write came from stack.json, not this command line
     * @param enabling   whether this call starts Prometheus with it (only then is the store asked)
     */
    HostShipping hostShipping(StackSettings.Shipping settings, boolean fromMemory, boolean enabling) {
        List<RemoteWrite> remoteWrites = List.of();
        if (!settings.remoteWrite().isEmpty() && (!fromMemory || enabling)) {
            remoteWrites = remoteWrites(settings, fromMemory);
            remoteWrites.stream()
                    .filter(RemoteWrite::sendsSecretsInClear)
                    .forEach(rw -> err.println("warning: " + rw.url()
                            + " is plain http to another machine: the credentials and every sample cross the network "
                            + "unencrypted; use https"));
            if (enabling) {
                // before anything starts: a store that will never take this host's samples is an error now
                remoteWrites.forEach(rw -> RemoteWriteCheck.check(rw).ifPresent(w -> err.println("warning: " + w)));
            }
        }
        try {
            return new HostShipping(
                    settings.host() != null ? settings.host() : machineHostName(),
                    remoteWrites,
                    Optional.ofNullable(settings.scrapeInterval()));
        } catch (ManagerException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private List<RemoteWrite> remoteWrites(StackSettings.Shipping settings, boolean fromMemory) {
        try {
            RemoteWrite.Auth auth = settings.bearerTokenFile() != null
                    ? new RemoteWrite.Bearer(Path.of(settings.bearerTokenFile()))
                    : settings.basicAuthUser() != null
                            ? new RemoteWrite.Basic(settings.basicAuthUser(), Path.of(settings.passwordFile()))
                            : new RemoteWrite.NoAuth();
            Optional<Path> ca = Optional.ofNullable(settings.caFile()).map(Path::of);
            // the same credentials for every store given
            return settings.remoteWrite().stream()
                    .map(url -> RemoteWrite.of(url, auth, ca))
                    .toList();
        } catch (ManagerException e) {
            if (fromMemory) {
                throw new ManagerException(
                        e.getMessage() + " (remembered in " + settingsFile
                                + "; give --remote-write again, or --no-remote-write)",
                        e);
            }
            throw new UsageException(e.getMessage());
        }
    }

    /** What {@code hostname} prints: the kernel's name for this machine. */
    private static String machineHostName() {
        try {
            Path kernel = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(kernel)) {
                return Files.readString(kernel).trim();
            }
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            throw new ManagerException(
                    "cannot tell this machine's host name (" + e.getMessage() + "); give one with --host");
        }
    }
}
