package dev.researchmon.manager.local;

import dev.researchmon.report.SidecarEndpoints;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * Recognises this project's metrics sidecar on a port by its {@code /-/healthy} answer, which names
 * the program and its pid ({@code metrics-sidecar is healthy; pid 4242}: report's
 * {@link SidecarEndpoints#healthLine}, read back with {@link SidecarEndpoints#pidOfHealthLine}). One
 * that a kernel's {@code %monitoring on} started before the stack is adopted instead of being taken
 * for another program holding the port.
 *
 * <pre>{@code
 * OptionalLong pid = ProjectSidecar.pidOn(9464);
 * }</pre>
 */
public final class ProjectSidecar {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    private ProjectSidecar() {}

    /** The pid of the project's sidecar answering on loopback {@code port}, if that is what answers. */
    public static OptionalLong pidOn(int port) {
        try {
            HttpResponse<String> answer = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + SidecarEndpoints.HEALTH_PATH))
                            .timeout(TIMEOUT)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            long pid = answer.statusCode() == 200 ? SidecarEndpoints.pidOfHealthLine(answer.body()) : -1;
            return pid < 0 ? OptionalLong.empty() : OptionalLong.of(pid);
        } catch (IOException e) {
            return OptionalLong.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        }
    }
}
