package dev.researchmon.manager.docker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Docker-API daemon for the tests: rootful Podman's Docker-compatible service on a unix
 * socket in a temporary folder, with its own storage (vfs), network configuration and events log,
 * so it shares nothing with the machine's own Podman. No image can be pulled here, so
 * {@link #importStandIn} imports a busybox root filesystem under a real image's name; its
 * entrypoint answers every health path of the stack on every port the stack uses.
 *
 * <pre>{@code
 * try (PodmanService podman = PodmanService.start()) {
 *     podman.importStandIn("prom/prometheus:v2.53.2");
 *     String host = podman.dockerHost();   // unix:///tmp/.../podman.sock
 * }
 * }</pre>
 */
final class PodmanService implements AutoCloseable {
    private static final Path PODMAN = Path.of("/usr/bin/podman");
    private static final Path BUSYBOX = Path.of("/bin/busybox");
    /** Every port of docker/compose.yaml's and compose.central.yaml's health endpoints. */
    private static final List<Integer> PORTS = List.of(9090, 9093, 3000, 9100, 8080, 8888, 9464, 8428);

    private final Path root;
    private final Map<String, String> env;
    private final Process service;
    private Path standInTar;

    private PodmanService(Path root, Map<String, String> env, Process service) {
        this.root = root;
        this.env = env;
        this.service = service;
    }

    static PodmanService start() throws IOException, InterruptedException {
        if (!Files.isExecutable(PODMAN) || !Files.isExecutable(BUSYBOX)) {
            throw new IllegalStateException("podman and busybox-static are needed (bin/setup installs them)");
        }
        Path root = Files.createTempDirectory("podman-it");
        Path conf = root.resolve("containers.conf");
        Files.writeString(conf, String.join("\n",
                "[containers]",
                "default_ulimits = [\"nofile=16384:16384\", \"nproc=8192:8192\"]",
                "[network]",
                "network_config_dir = \"" + root.resolve("networks") + "\"",
                "[engine]",
                "cgroup_manager = \"cgroupfs\"",
                "events_logger = \"file\"",
                "events_logfile_path = \"" + root.resolve("events.log") + "\"",
                "runtime = \"runc\"",
                "tmp_dir = \"" + root.resolve("tmp") + "\"",
                ""));
        Path storage = root.resolve("storage.conf");
        Files.writeString(storage, String.join("\n",
                "[storage]",
                "driver = \"vfs\"",
                "runroot = \"" + root.resolve("run") + "\"",
                "graphroot = \"" + root.resolve("graph") + "\"",
                ""));
        Files.createDirectories(root.resolve("networks"));
        Map<String, String> env = Map.of("CONTAINERS_CONF", conf.toString(), "CONTAINERS_STORAGE_CONF", storage.toString());
        Path socket = root.resolve("podman.sock");
        ProcessBuilder builder = new ProcessBuilder(PODMAN.toString(), "system", "service", "--time=0", "unix://" + socket)
                .redirectErrorStream(true)
                .redirectOutput(root.resolve("service.log").toFile());
        builder.environment().putAll(env);
        PodmanService podman = new PodmanService(root, env, builder.start());
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (DockerConnection.whyNotAnswering(podman.dockerHost()).isPresent()) {
            if (Instant.now().isAfter(deadline) || !podman.service.isAlive()) {
                String log = Files.readString(root.resolve("service.log"));
                podman.close();
                throw new IllegalStateException("podman's API service did not answer:\n" + log);
            }
            Thread.sleep(100);
        }
        return podman;
    }

    String dockerHost() {
        return "unix://" + root.resolve("podman.sock");
    }

    /** Imports the busybox stand-in under {@code image}'s name. */
    void importStandIn(String image) throws IOException, InterruptedException {
        if (standInTar == null) {
            standInTar = buildStandIn();
        }
        podman("import", "--change", "ENTRYPOINT=[\"/bin/sh\",\"/entry.sh\"]", standInTar.toString(), image);
    }

    /** Runs the podman command line against this service's storage; returns its output. */
    String podman(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PODMAN.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("podman " + String.join(" ", args) + " hung");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("podman " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }

    /**
     * A root filesystem with busybox and an entrypoint that serves the health paths. A shell as
     * PID 1 ignores TERM unless it traps it, and stop would then wait for its timeout.
     */
    private Path buildStandIn() throws IOException, InterruptedException {
        Path rootfs = root.resolve("standin");
        Path bin = Files.createDirectories(rootfs.resolve("bin"));
        Files.copy(BUSYBOX, bin.resolve("busybox"));
        for (String applet : List.of("sh", "httpd", "mkdir", "sleep", "echo")) {
            Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
        }
        // written here, not by the entrypoint: a service with a compose `user:` runs it as nobody
        for (String path : List.of("-/healthy", "-/ready", "metrics", "healthz", "health", "api/health", "api/index.html")) {
            Path file = rootfs.resolve("www").resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, "ok\n");
        }
        StringBuilder script = new StringBuilder("""
                trap 'exit 0' TERM INT
                """);
        for (int port : PORTS) {
            script.append("httpd -p ").append(port).append(" -h /www\n");
        }
        script.append("while :; do sleep 1 & wait $!; done\n");
        Files.writeString(rootfs.resolve("entry.sh"), script.toString());
        Path tar = root.resolve("standin.tar");
        Process process = new ProcessBuilder("tar", "-C", rootfs.toString(), "-cf", tar.toString(), ".")
                .redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("tar failed: " + out);
        }
        return tar;
    }

    @Override
    public void close() {
        service.destroy();
        try {
            if (!service.waitFor(10, TimeUnit.SECONDS)) {
                service.destroyForcibly();
                service.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteQuietly(root);
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp folder is harmless
        }
    }
}
