package dev.researchmon.manager.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * Recognises this project's metrics sidecar on a port by its {@code /-/healthy} answer, which names
 * the program and its pid ({@code metrics-sidecar is healthy; pid 4242}, the sidecar's
 * {@code SidecarEndpoints.healthLine}). One that a kernel's {@code %monitoring on} started before the
 * stack is adopted instead of being taken for another program holding the port.
 *
 * <pre>{@code
 * OptionalLong pid = ProjectSidecar.pidOn(9464);
 * }</pre>
 */
public final class ProjectSidecar {
    /** How the sidecar's health answer starts; equal to {@code SidecarEndpoints.HEALTH_PREFIX} (tested). */
    static final String HEALTH_PREFIX = "metrics-sidecar is healthy; pid ";
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    private ProjectSidecar() {
    }

    /** The pid of the project's sidecar answering on loopback {@code port}, if that is what answers. */
    public static OptionalLong pidOn(int port) {
        try {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/-/healthy")).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            String body = answer.body();
            if (answer.statusCode() != 200 || body == null || !body.startsWith(HEALTH_PREFIX)) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(Long.parseLong(body.substring(HEALTH_PREFIX.length()).strip()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        }
    }
}
