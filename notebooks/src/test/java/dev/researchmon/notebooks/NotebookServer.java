package dev.researchmon.notebooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.researchmon.testkit.JupyterServer;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Jupyter Notebook server (6.4), driven the way its web page drives it: sessions and
 * renames through the REST API, cells over the kernel's websocket. The token reaches the server
 * through its environment ({@code JUPYTER_TOKEN}), never its command line.
 */
final class NotebookServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JupyterServer server;
    private final URI base;
    private final String token;
    private final HttpClient http = HttpClient.newHttpClient();

    private NotebookServer(JupyterServer server) {
        this.server = server;
        this.base = server.url();
        this.token = server.token();
    }

    /** Starts the server over {@code root}; the kernels it starts get {@code env} and nothing more. */
    static NotebookServer start(Path root, Map<String, String> env, Path logDir) throws Exception {
        return new NotebookServer(JupyterServer.start(root, env, logDir));
    }

    /** {@code POST /api/sessions}, as opening a notebook in the browser does. */
    JsonNode openNotebook(String path, String kernelName) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("path", path).put("type", "notebook");
        body.putObject("kernel").put("name", kernelName);
        return request("POST", "api/sessions", body);
    }

    /** Renames as the notebook page does: the file through the contents API, then its session. */
    void rename(JsonNode session, String newPath) throws Exception {
        String oldPath = session.path("path").asText();
        request(
                "PATCH",
                "api/contents/" + encodePath(oldPath),
                JSON.createObjectNode().put("path", newPath));
        request(
                "PATCH",
                "api/sessions/" + session.path("id").asText(),
                JSON.createObjectNode().put("path", newPath));
    }

    void closeSession(JsonNode session) throws Exception {
        request("DELETE", "api/sessions/" + session.path("id").asText(), null);
    }

    /** A websocket on the kernel's channels, as the notebook page opens it. */
    KernelChannels channels(String kernelId) throws Exception {
        URI ws = URI.create("ws://" + base.getAuthority() + "/api/kernels/" + kernelId + "/channels?session_id="
                + UUID.randomUUID());
        KernelChannels channels = new KernelChannels();
        channels.socket = http.newWebSocketBuilder()
                .header("Authorization", "token " + token)
                .buildAsync(ws, channels)
                .get(30, TimeUnit.SECONDS);
        return channels;
    }

    private JsonNode request(String method, String path, JsonNode body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "token " + token)
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        HttpResponse<String> response = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new AssertionError(method + " " + path + " answered " + response.statusCode() + ": " + response.body()
                    + "\nserver log:\n" + server.logTail(30));
        }
        return response.body().isBlank() ? null : JSON.readTree(response.body());
    }

    private static String encodePath(String path) {
        StringBuilder sb = new StringBuilder();
        for (String part : path.split("/")) {
            sb.append(sb.length() == 0 ? "" : "/")
                    .append(URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return sb.toString();
    }

    String logTail() {
        return server.logTail(40);
    }

    @Override
    public void close() {
        server.close();
    }

    /** The kernel's shell and iopub messages, JSON over one websocket (the notebook page's protocol). */
    static final class KernelChannels implements WebSocket.Listener, AutoCloseable {
        private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        private final String session = UUID.randomUUID().toString();
        private WebSocket socket;

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    messages.add(JSON.readTree(partial.toString()));
                } catch (IOException e) {
                    throw new IllegalStateException("not a JSON message: " + partial, e);
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        /** Runs a cell; returns its execute_reply content, failing if it did not end ok. */
        JsonNode execute(String code) throws Exception {
            String msgId = UUID.randomUUID().toString();
            ObjectNode msg = JSON.createObjectNode();
            msg.putObject("header")
                    .put("msg_id", msgId)
                    .put("msg_type", "execute_request")
                    .put("username", "it")
                    .put("session", session)
                    .put("version", "5.3")
                    .put("date", Instant.now().toString());
            msg.putObject("parent_header");
            msg.putObject("metadata");
            ObjectNode content = msg.putObject("content")
                    .put("code", code)
                    .put("silent", false)
                    .put("store_history", true)
                    .put("allow_stdin", false)
                    .put("stop_on_error", true);
            content.putObject("user_expressions");
            msg.put("channel", "shell");
            socket.sendText(JSON.writeValueAsString(msg), true).get(10, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            StringBuilder seen = new StringBuilder();
            while (System.nanoTime() < deadline) {
                JsonNode m = messages.poll(1, TimeUnit.SECONDS);
                if (m == null
                        || !msgId.equals(m.path("parent_header").path("msg_id").asText())) {
                    continue;
                }
                seen.append(m.path("msg_type").asText())
                        .append(' ')
                        .append(m.path("content"))
                        .append('\n');
                if (m.path("msg_type").asText().equals("execute_reply")) {
                    if (!m.path("content").path("status").asText().equals("ok")) {
                        throw new AssertionError("cell failed: " + code + "\n" + seen);
                    }
                    return m.path("content");
                }
            }
            throw new AssertionError("no execute_reply for " + code + " in 90 s; seen:\n" + seen);
        }

        @Override
        public void close() {
            if (socket != null) {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
            }
        }
    }
}
