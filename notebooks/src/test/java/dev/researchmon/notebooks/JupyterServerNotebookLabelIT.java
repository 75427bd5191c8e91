package dev.researchmon.notebooks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A notebook opened the way a user opens it: Debian's Jupyter Notebook server starts the kernel for
 * a session created through its REST API, and nobody sets the kernel's environment by hand. The
 * kernel must find its notebook through the server ({@code notebook="<folder>/<name>.ipynb"}, a
 * folder with a space in its name) in the sidecar and in Prometheus, and follow a rename.
 */
class JupyterServerNotebookLabelIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String FOLDER = "my runs";

    @TempDir
    static Path dir;

    static TestStack stack;
    static NotebookServer server;

    @BeforeAll
    static void start() throws Exception {
        stack = TestStack.start(dir);
        Path root = dir.resolve("notebooks");
        Files.createDirectories(root.resolve(FOLDER));
        Files.writeString(root.resolve(FOLDER).resolve("first try.ipynb"), """
                {"cells": [], "metadata": {"kernelspec": {"name": "java", "display_name": "Java", "language": "java"}},
                 "nbformat": 4, "nbformat_minor": 5}""");
        server = NotebookServer.start(root, stack.kernelEnvironment(), dir.resolve("logs"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void notebookOpenedThroughTheServer_isLabelledWithItsPath_andARenameIsFollowed() throws Exception {
        JsonNode session = server.openNotebook(FOLDER + "/first try.ipynb", "java");
        String kernelId = session.path("kernel").path("id").asText();
        try (NotebookServer.KernelChannels kernel = server.channels(kernelId)) {
            kernel.execute("%monitoring on");
            kernel.execute("""
                    import io.prometheus.metrics.core.metrics.Counter;
                    Counter probes = Counter.builder().name("label_probes").help("cells that probe the label").register();
                    probes.inc(2);""");

            String before =
                    "label_probes_total{kernel_id=\"" + kernelId + "\",notebook=\"my runs/first try.ipynb\"} 2.0";
            awaitSidecar(before);
            stack.prometheus.awaitSeries("label_probes_total{notebook=\"my runs/first try.ipynb\"} == 2", WAIT);

            server.rename(session, FOLDER + "/renamed run.ipynb");
            kernel.execute("probes.inc();");

            String after =
                    "label_probes_total{kernel_id=\"" + kernelId + "\",notebook=\"my runs/renamed run.ipynb\"} 3.0";
            awaitSidecar(after);
            stack.prometheus.awaitSeries("label_probes_total{notebook=\"my runs/renamed run.ipynb\"} == 3", WAIT);
            assertTrue(!metrics().contains("first try.ipynb"), "the kernel reports under its new name only");
        } finally {
            server.closeSession(session);
        }
    }

    private String metrics() throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(stack.sidecarUrl + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private void awaitSidecar(String line) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            body = metrics();
            if (body.contains(line)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the sidecar never showed " + line + "\n"
                + body.lines().filter(l -> l.startsWith("label_probes")).toList() + "\n" + server.logTail());
    }
}
