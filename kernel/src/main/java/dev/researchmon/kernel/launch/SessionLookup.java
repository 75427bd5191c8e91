package dev.researchmon.kernel.launch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Asks a Jupyter server which notebook a kernel belongs to: {@code GET /api/sessions} with the
 * server's token, the session whose kernel has our id, its {@code path} (relative to the server's
 * root, as the UI shows it; it changes when the notebook is renamed). Servers that do not answer
 * quickly, refuse the token or do not know the kernel give nothing.
 *
 * <pre>{@code
 * Optional<String> path = new SessionLookup(Duration.ofSeconds(1)).notebookOf(server, kernelId);
 * }</pre>
 */
public final class SessionLookup {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final Duration timeout;

    public SessionLookup(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** The path of the notebook whose session runs {@code kernelId} on {@code server}. */
    public Optional<String> notebookOf(JupyterServer server, String kernelId) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(server.sessionsUri()).timeout(timeout).GET();
        if (!server.token().isEmpty()) {
            request.header("Authorization", "token " + server.token());
        }
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            return pathOf(JSON.readTree(response.body()), kernelId);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The path of the session running {@code kernelId} in an {@code /api/sessions} answer. */
    static Optional<String> pathOf(JsonNode sessions, String kernelId) {
        if (sessions == null || !sessions.isArray()) {
            return Optional.empty();
        }
        for (JsonNode s : sessions) {
            if (kernelId.equals(s.path("kernel").path("id").asText(null))) {
                // Notebook 6 also nests it under "notebook"; Server 2 has only "path".
                String path = s.path("path").asText("");
                if (path.isEmpty()) {
                    path = s.path("notebook").path("path").asText("");
                }
                return path.isEmpty() ? Optional.empty() : Optional.of(path);
            }
        }
        return Optional.empty();
    }
}
