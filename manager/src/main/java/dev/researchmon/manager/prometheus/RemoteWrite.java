package dev.researchmon.manager.prometheus;

import dev.researchmon.manager.ManagerException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a host's Prometheus ships its samples, and how it proves who it is. Secrets are never held
 * here: only the files that hold them, which Prometheus reads itself ({@code credentials_file},
 * {@code password_file}), so no token or password reaches a command line or the generated config.
 *
 * <pre>{@code
 * RemoteWrite central = RemoteWrite.of("https://metrics.lab:8428/api/v1/write",
 *         new RemoteWrite.Bearer(Path.of("/etc/research-monitor/token")), Optional.empty());
 * }</pre>
 */
public record RemoteWrite(URI url, Auth auth, Optional<Path> caFile) {

    /** How the store is told who is writing. */
    public sealed interface Auth permits NoAuth, Bearer, Basic {}

    public record NoAuth() implements Auth {}

    public record Bearer(Path tokenFile) implements Auth {}

    public record Basic(String user, Path passwordFile) implements Auth {}

    /** Checks the URL and every file, so that a mistake is one clear message before anything starts. */
    public static RemoteWrite of(String url, Auth auth, Optional<Path> caFile) {
        URI uri = parse(url);
        if (auth instanceof Bearer b) {
            requireReadable(b.tokenFile(), "--remote-write-bearer-token-file");
        } else if (auth instanceof Basic b) {
            if (b.user().isBlank()) {
                throw new ManagerException("--remote-write-basic-auth-user must not be empty");
            }
            requireReadable(b.passwordFile(), "--remote-write-password-file");
        }
        caFile.ifPresent(f -> requireReadable(f, "--remote-write-ca-file"));
        if (caFile.isPresent() && !uri.getScheme().equals("https")) {
            throw new ManagerException("--remote-write-ca-file is for an https store; " + url + " is plain http");
        }
        return new RemoteWrite(uri, auth, caFile.map(p -> p.toAbsolutePath().normalize()));
    }

    public RemoteWrite {
        if (auth instanceof Bearer b) {
            auth = new Bearer(b.tokenFile().toAbsolutePath().normalize());
        } else if (auth instanceof Basic b) {
            auth = new Basic(b.user(), b.passwordFile().toAbsolutePath().normalize());
        }
    }

    public boolean tls() {
        return url.getScheme().equals("https");
    }

    /** Credentials over plain http to another machine can be read by anyone on the path. */
    public boolean sendsSecretsInClear() {
        String host = url.getHost();
        boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
        return !(auth instanceof NoAuth) && !tls() && !loopback;
    }

    private static URI parse(String url) {
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    || uri.getHost() == null) {
                throw new ManagerException("--remote-write must be an http:// or https:// URL with a host, such as "
                        + "http://central:8428/api/v1/write; got " + url);
            }
            if (uri.getUserInfo() != null) {
                throw new ManagerException(
                        "--remote-write must not carry a user or password in the URL (it would "
                                + "show in the process list); use --remote-write-basic-auth-user and --remote-write-password-file");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ManagerException("--remote-write is not a URL: " + e.getMessage());
        }
    }

    private static void requireReadable(Path file, String option) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ManagerException(option + ": " + file + " is not a readable file");
        }
    }
}
