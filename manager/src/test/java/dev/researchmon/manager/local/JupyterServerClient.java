package dev.researchmon.manager.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Talks to a running Jupyter server the way the notebook UI does: starts a kernel over the REST API
 * (on its own, or for a notebook through a session, as JupyterLab opens one) and runs cells over the
 * kernel's websocket, so a test exercises the kernel exactly as the server launched it (with the
 * server's environment).
 *
 * <pre>{@code
 * try (JupyterServerClient jupyter = JupyterServerClient.startKernel(8888, token, "java")) {
 *     jupyter.execute("%monitoring on", Duration.ofSeconds(60));
 * }
 * }</pre>
 */
public final class JupyterServerClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String base;
    private final String token;
    private final String kernelId;
    private final String session = UUID.randomUUID().toString();
    private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    private final WebSocket socket;

    private JupyterServerClient(String base, String token, String kernelId) throws Exception {
        this.base = base;
        this.token = token;
        this.kernelId = kernelId;
        this.socket = HTTP.newWebSocketBuilder()
                .buildAsync(
                        URI.create(base.replace("http://", "ws://") + "/api/kernels/" + kernelId + "/channels?token="
                                + token),
                        new Collector())
                .get(30, TimeUnit.SECONDS);
    }

    /**
     * Opens the notebook {@code path} (relative to the server's root) as a browser does: saves an empty
     * notebook there through the contents API, then creates a session for it, which starts its kernel.
     */
    public static JupyterServerClient openNotebook(int port, String token, String path, String kernelName)
            throws Exception {
        String base = "http://127.0.0.1:" + port;
        ObjectNode notebook = JSON.createObjectNode().put("type", "notebook").put("format", "json");
        ObjectNode content = notebook.putObject("content").put("nbformat", 4).put("nbformat_minor", 5);
        content.putArray("cells");
        content.putObject("metadata")
                .putObject("kernelspec")
                .put("name", kernelName)
                .put("display_name", kernelName);
        String encoded = java.net.URLEncoder.encode(path, java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20");
        send(base, token, "PUT", "/api/contents/" + encoded, notebook.toString(), 200, 201);
        ObjectNode session =
                JSON.createObjectNode().put("path", path).put("name", path).put("type", "notebook");
        session.putObject("kernel").put("name", kernelName);
        JsonNode created = JSON.readTree(send(base, token, "POST", "/api/sessions", session.toString(), 201));
        return new JupyterServerClient(
                base, token, created.path("kernel").path("id").asText());
    }

    private static String send(String base, String token, String method, String path, String body, int... expected)
            throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("Authorization", "token " + token)
                        .header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (java.util.Arrays.stream(expected).noneMatch(code -> code == response.statusCode())) {
            throw new IllegalStateException(method + " " + path + ": " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    static JupyterServerClient startKernel(int port, String token, String kernelName) throws Exception {
        String base = "http://127.0.0.1:" + port;
        HttpResponse<String> created = HTTP.send(
                HttpRequest.newBuilder(URI.create(base + "/api/kernels"))
                        .header("Authorization", "token " + token)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + kernelName + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException(
                    "starting a " + kernelName + " kernel: " + created.statusCode() + " " + created.body());
        }
        return new JupyterServerClient(
                base, token, JSON.readTree(created.body()).path("id").asText());
    }

    public String kernelId() {
        return kernelId;
    }

    /** Runs one cell; returns its execute_reply content (status "ok" or "error"). */
    public JsonNode execute(String code, Duration timeout) throws Exception {
        String msgId = UUID.randomUUID().toString();
        ObjectNode message = JSON.createObjectNode();
        message.putObject("header")
                .put("msg_id", msgId)
                .put("msg_type", "execute_request")
                .put("session", session)
                .put("username", "it")
                .put("version", "5.3")
                .put("date", Instant.now().toString());
        message.putObject("parent_header");
        message.putObject("metadata");
        message.putObject("content")
                .put("code", code)
                .put("silent", false)
                .put("store_history", true)
                .put("allow_stdin", false)
                .put("stop_on_error", true)
                .putObject("user_expressions");
        message.put("channel", "shell");
        message.putArray("buffers");
        socket.sendText(JSON.writeValueAsString(message), true).get(10, TimeUnit.SECONDS);
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            JsonNode reply = messages.poll(500, TimeUnit.MILLISECONDS);
            if (reply != null
                    && msgId.equals(reply.path("parent_header").path("msg_id").asText())
                    && "execute_reply"
                            .equals(reply.path("header").path("msg_type").asText())) {
                return reply.path("content");
            }
        }
        throw new AssertionError("no execute_reply to " + code + " within " + timeout.toSeconds() + " s");
    }

    /** Closes the websocket and shuts the kernel down (its session goes with it). */
    @Override
    public void close() throws Exception {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").exceptionally(e -> null);
        HTTP.send(
                HttpRequest.newBuilder(URI.create(base + "/api/kernels/" + kernelId))
                        .header("Authorization", "token " + token)
                        .DELETE()
                        .build(),
                HttpResponse.BodyHandlers.discarding());
    }

    /** Collects whole text messages; the websocket may deliver one in several parts. */
    private final class Collector implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    messages.add(JSON.readTree(partial.toString()));
                } catch (Exception ignored) {
                    // not JSON: not a Jupyter message
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }
}
