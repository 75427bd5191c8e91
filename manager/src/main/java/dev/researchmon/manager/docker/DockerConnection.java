package dev.researchmon.manager.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.researchmon.manager.ManagerException;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Opens a docker-java client on a Docker API address ({@code unix:///var/run/docker.sock},
 * {@code tcp://host:2375}) and tells whether anything answers there.
 *
 * <pre>{@code
 * Optional<String> why = DockerConnection.whyNotAnswering("unix:///var/run/docker.sock");
 * try (DockerClient docker = DockerConnection.open("unix:///var/run/docker.sock")) { ... }
 * }</pre>
 */
public final class DockerConnection {
    /** The address used when neither --docker-host nor DOCKER_HOST names one. */
    public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration PING_TIMEOUT = Duration.ofSeconds(3);
    // creating and stopping containers can take a while; pulls are bounded by the caller
    private static final Duration RESPONSE_TIMEOUT = Duration.ofMinutes(5);

    private DockerConnection() {}

    public static DockerClient open(String host) {
        return open(host, RESPONSE_TIMEOUT);
    }

    /** Null when a Docker API answers a ping at {@code host}, else the reason it does not. */
    public static Optional<String> whyNotAnswering(String host) {
        DockerClient docker;
        try {
            docker = open(host, PING_TIMEOUT);
        } catch (ManagerException e) {
            return Optional.of(e.getMessage());
        }
        // zerodep's response timeout does not reach reads on a unix socket: a peer that accepts and
        // never answers would block forever, so the ping runs on its own thread and is abandoned
        // (its socket closed) when the deadline passes.
        CompletableFuture<Void> ping =
                CompletableFuture.runAsync(() -> docker.pingCmd().exec(), PINGER);
        try {
            ping.get(PING_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return Optional.empty();
        } catch (TimeoutException e) {
            return Optional.of("no answer within " + PING_TIMEOUT.toSeconds() + " s");
        } catch (ExecutionException e) {
            return Optional.of(rootMessage(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        } finally {
            try {
                docker.close();
            } catch (IOException | RuntimeException ignored) {
                // closing is best effort: the ping's outcome is what matters
            }
        }
    }

    private static final java.util.concurrent.Executor PINGER = task -> {
        Thread thread = new Thread(task, "docker-ping");
        thread.setDaemon(true); // an abandoned ping must not keep the JVM alive
        thread.start();
    };

    /** Throws the one clear error for an address where no Docker API answers. */
    public static void requireAnswering(String host) {
        whyNotAnswering(host).ifPresent(why -> {
            throw new ManagerException("no Docker API answers at " + host + " (" + why + "); start the engine, "
                    + "point --docker-host or DOCKER_HOST at it, or use --runtime local");
        });
    }

    private static DockerClient open(String host, Duration responseTimeout) {
        try {
            DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                    .withDockerHost(host)
                    .withDockerTlsVerify(false)
                    .build();
            DockerHttpClient http = new ZerodepDockerHttpClient.Builder()
                    .dockerHost(config.getDockerHost())
                    .sslConfig(config.getSSLConfig())
                    .connectionTimeout(CONNECT_TIMEOUT)
                    .responseTimeout(responseTimeout)
                    .build();
            return DockerClientImpl.getInstance(config, http);
        } catch (RuntimeException e) {
            throw new ManagerException("'" + host + "' is not a Docker API address: " + rootMessage(e), e);
        }
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
