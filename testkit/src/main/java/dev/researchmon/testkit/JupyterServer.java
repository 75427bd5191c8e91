package dev.researchmon.testkit;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Debian's Jupyter Notebook server ({@code /usr/bin/jupyter notebook}, 6.4 on bookworm) on a free
 * loopback port, for the tests that open notebooks as a browser would. Its token is fresh and goes
 * through the environment ({@code JUPYTER_TOKEN}), never the command line; {@link #close()} stops
 * it and the kernels it started, by their handles.
 *
 * <pre>{@code
 * try (JupyterServer jupyter = JupyterServer.start(workDir, Map.of("JUPYTER_DATA_DIR", data.toString()), logDir)) {
 *     jupyter.url();     // http://127.0.0.1:PORT/, answers /api already
 *     jupyter.token();
 * }
 * }</pre>
 */
public final class JupyterServer implements AutoCloseable {
    public static final Path JUPYTER = Path.of("/usr/bin/jupyter");

    private final ManagedProcess process;
    private final URI url;
    private final String token;

    private JupyterServer(ManagedProcess process, URI url, String token) {
        this.process = process;
        this.url = url;
        this.token = token;
    }

    /**
     * Starts the server over {@code root} with {@code env} added to this JVM's environment (the
     * kernels it starts inherit it), logging to {@code logDir/jupyter.log}, and waits for its API.
     * {@code extraArgs} go after the server's own (e.g. {@code --NotebookApp.authenticate_prometheus=False}).
     */
    public static JupyterServer start(Path root, Map<String, String> env, Path logDir, String... extraArgs)
            throws IOException, InterruptedException {
        int port = FreePort.loopback();
        URI url = URI.create("http://127.0.0.1:" + port + "/");
        String token = UUID.randomUUID().toString();
        Map<String, String> serverEnv = new HashMap<>(env);
        serverEnv.put("JUPYTER_TOKEN", token);
        // --allow-root: CI machines run the tests as root
        List<String> command = new ArrayList<>(List.of(
                JUPYTER.toString(),
                "notebook",
                "--no-browser",
                "--allow-root",
                "--ip=127.0.0.1",
                "--port=" + port,
                "--port-retries=0",
                "--notebook-dir=" + root));
        command.addAll(List.of(extraArgs));
        ManagedProcess process = ManagedProcess.start("jupyter", command, serverEnv, logDir);
        try {
            HttpWait.awaitOk(url.resolve("api"), Duration.ofMinutes(2), process);
            return new JupyterServer(process, url, token);
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            process.close();
            throw e;
        }
    }

    /** The server's base URL, ending in {@code /}. */
    public URI url() {
        return url;
    }

    public String token() {
        return token;
    }

    public ManagedProcess process() {
        return process;
    }

    /** The server log's last lines, for failure messages. */
    public String logTail(int lines) {
        return process.logTail(lines);
    }

    @Override
    public void close() {
        process.close();
    }
}
