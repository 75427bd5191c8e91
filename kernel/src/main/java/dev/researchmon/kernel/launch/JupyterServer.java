package dev.researchmon.kernel.launch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A running Jupyter server as its runtime file describes it: Notebook 6 writes
 * {@code nbserver-<pid>.json}, Jupyter Server 2 (JupyterLab, Notebook 7) {@code jpserver-<pid>.json},
 * both with the server's {@code url}, {@code token} and {@code pid}. Servers listening on a Unix
 * socket only are left out (Java's HTTP client speaks TCP).
 *
 * <pre>{@code
 * for (JupyterServer s : JupyterServer.findAll(JupyterServer.runtimeDirs(connectionFile, System.getenv()))) {
 *     s.sessionsUri();   // http://127.0.0.1:8888/api/sessions
 * }
 * }</pre>
 *
 * @param file  the runtime file it was read from
 * @param base  the server's base URL, ending with {@code /}
 * @param token the server's token, {@code ""} when it has none
 * @param pid   the server's process id, or -1 when the file does not say
 */
public record JupyterServer(Path file, URI base, String token, long pid) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code <base>api/sessions}, where the server lists its sessions with their kernels. */
    public URI sessionsUri() {
        return base.resolve("api/sessions");
    }

    /**
     * Where Jupyter keeps its runtime files, most likely first: the folder of the kernel's own
     * connection file (the server writes it into its runtime dir), then {@code JUPYTER_RUNTIME_DIR},
     * then jupyter_core's defaults (data dir's {@code runtime}, and {@code $XDG_RUNTIME_DIR/jupyter}
     * as older jupyter_core had it).
     */
    public static List<Path> runtimeDirs(Path connectionFile, Map<String, String> env) {
        Set<Path> dirs = new LinkedHashSet<>();
        if (connectionFile != null && connectionFile.toAbsolutePath().getParent() != null) {
            dirs.add(connectionFile.toAbsolutePath().getParent().normalize());
        }
        set(env, "JUPYTER_RUNTIME_DIR").ifPresent(d -> dirs.add(Path.of(d)));
        Path data = set(env, "JUPYTER_DATA_DIR")
                .map(Path::of)
                .orElseGet(() -> set(env, "XDG_DATA_HOME")
                        .map(Path::of)
                        .orElse(Path.of(System.getProperty("user.home"), ".local", "share"))
                        .resolve("jupyter"));
        dirs.add(data.resolve("runtime"));
        set(env, "XDG_RUNTIME_DIR").ifPresent(d -> dirs.add(Path.of(d, "jupyter")));
        return List.copyOf(dirs);
    }

    /** The servers whose runtime files lie in {@code dirs}; unreadable or malformed files are skipped. */
    public static List<JupyterServer> findAll(List<Path> dirs) {
        List<JupyterServer> servers = new ArrayList<>();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "{nbserver,jpserver}-*.json")) {
                for (Path f : files) {
                    read(f).ifPresent(servers::add);
                }
            } catch (IOException | RuntimeException e) {
                // a folder we may not list is no server of ours
            }
        }
        return servers;
    }

    /** Reads one runtime file; empty when it is malformed or describes a Unix-socket-only server. */
    static Optional<JupyterServer> read(Path file) {
        try {
            JsonNode n = JSON.readTree(file.toFile());
            if (!n.path("sock").asText("").isEmpty()) {
                return Optional.empty();
            }
            String url = n.path("url").asText("");
            if (url.isEmpty()) {
                return Optional.empty();
            }
            URI uri = URI.create(url.endsWith("/") ? url : url + "/");
            if (uri.getHost() == null || uri.getScheme() == null) {
                return Optional.empty();
            }
            return Optional.of(new JupyterServer(
                    file,
                    loopbackForWildcard(uri),
                    n.path("token").asText(""),
                    n.path("pid").asLong(-1)));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A server listening on every address writes that address in its URL; ask it on loopback. */
    private static URI loopbackForWildcard(URI uri) {
        String host = uri.getHost();
        if (!host.equals("0.0.0.0") && !host.equals("[::]") && !host.equals("::")) {
            return uri;
        }
        return URI.create(uri.getScheme() + "://127.0.0.1:" + uri.getPort() + uri.getRawPath());
    }

    private static Optional<String> set(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank());
    }
}
