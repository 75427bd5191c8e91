package dev.researchmon.testkit.containers;

import dev.researchmon.testkit.TempDirs;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Docker-API daemon for the tests: rootful Podman's Docker-compatible service on a unix
 * socket in a temporary folder, with its own containers, networks, volumes and events log, so it
 * shares nothing with the machine's own Podman, nor with another test's service.
 *
 * <p>Images are where the two ways of starting differ:
 * <ul>
 * <li>{@link #start()}: images live in the service's own throwaway storage, gone on {@link #close()}.
 * <li>{@link #startShared()}: images come from one image store shared by every container test of a
 *     run and by later runs on the machine ({@link #sharedRoot()}, by default
 *     {@code /var/tmp/research-monitor/podman}, or {@code RESEARCH_MONITOR_PODMAN_ROOT}), so an
 *     image is built once and its layers reused. The service sees that store read-only (Podman's
 *     {@code additionalimagestores}); {@link #podmanOnImages} builds and tags into it, under a lock
 *     that {@link TestImages} takes so that concurrent runs do not build the same image twice.
 * </ul>
 *
 * No image can be pulled here: {@link TestImages} makes them from Debian's packages, and
 * {@link #importStandIn} imports a busybox root filesystem under a real image's name whose
 * entrypoint answers every health path of the stack on every port the stack uses.
 *
 * <pre>{@code
 * try (PodmanService podman = PodmanService.startShared()) {
 *     TestImages.ensureResearchImage(podman);
 *     String host = podman.dockerHost();            // unix:///tmp/podman-it.../podman.sock
 *     podman.podman("run", "--rm", TestImages.RESEARCH, "java", "-version");
 * }
 * }</pre>
 */
public final class PodmanService implements AutoCloseable {
    /** Where the shared image store lives unless {@code RESEARCH_MONITOR_PODMAN_ROOT} says otherwise. */
    public static final Path DEFAULT_SHARED_ROOT = Path.of("/var/tmp/research-monitor/podman");

    private static final Path PODMAN = Path.of("/usr/bin/podman");
    private static final Path BUSYBOX = Path.of("/bin/busybox");
    /** Every port of docker/compose.yaml's and compose.central.yaml's health endpoints. */
    private static final List<Integer> PORTS = List.of(9090, 9093, 3000, 9100, 8080, 8888, 9464, 8428);

    private static final Duration CLI_TIMEOUT = Duration.ofMinutes(2);

    /** What a podman command line answered. */
    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    private final Path root;
    private final Map<String, String> env;
    private final Map<String, String> imageEnv;
    private final Path sharedRoot;
    private final Process service;
    private Path standInTar;

    private PodmanService(
            Path root, Map<String, String> env, Map<String, String> imageEnv, Path sharedRoot, Process service) {
        this.root = root;
        this.env = env;
        this.imageEnv = imageEnv;
        this.sharedRoot = sharedRoot;
        this.service = service;
    }

    /** A service whose images, like everything else, live in its own storage and go with it. */
    public static PodmanService start() throws IOException, InterruptedException {
        requireTools();
        Path root = Files.createTempDirectory("podman-it");
        Path graph = root.resolve("graph");
        Map<String, String> env = writeConfig(root, graph, root.resolve("run"), driverFor(graph), List.of());
        return startService(root, env, env, null);
    }

    /**
     * A service of its own (containers, networks, volumes) on the machine's shared image store, so
     * that images built by one test (or an earlier run) are there for the next.
     */
    public static PodmanService startShared() throws IOException, InterruptedException {
        requireTools();
        Path shared = Files.createDirectories(sharedRoot());
        Path store = shared.resolve("storage");
        // a store that lends its layers is read with the driver that wrote them
        String driver = driverFor(store);
        Map<String, String> imageEnv = writeConfig(shared, store, shared.resolve("run"), driver, List.of());
        // creates the store's layout, so that a service can open it read-only before any build
        orThrow(new String[] {"images"}, run(imageEnv, CLI_TIMEOUT, List.of("images", "--quiet")));
        Path root = Files.createTempDirectory("podman-it");
        Map<String, String> env = writeConfig(root, root.resolve("graph"), root.resolve("run"), driver, List.of(store));
        return startService(root, env, imageEnv, shared);
    }

    /** The shared image store's folder (it holds the base image's tarball too). */
    public static Path sharedRoot() {
        String configured = System.getenv("RESEARCH_MONITOR_PODMAN_ROOT");
        return configured == null || configured.isBlank()
                ? DEFAULT_SHARED_ROOT
                : Path.of(configured).toAbsolutePath();
    }

    /** The {@code DOCKER_HOST} value of this service. */
    public String dockerHost() {
        return "unix://" + root.resolve("podman.sock");
    }

    /** The podman command line against this service's storage; its output, or an exception saying why it failed. */
    public String podman(String... args) throws IOException, InterruptedException {
        return orThrow(args, tryPodman(args));
    }

    /** The podman command line against this service's storage, whatever its exit code. */
    public Result tryPodman(String... args) throws IOException, InterruptedException {
        return run(env, CLI_TIMEOUT, List.of(args));
    }

    /**
     * The podman command line against the store this service's images come from (the shared one
     * after {@link #startShared()}): for builds, imports and tags that must outlive the service.
     * Throws when it fails, with its output.
     */
    public String podmanOnImages(Duration timeout, String... args) throws IOException, InterruptedException {
        return orThrow(args, tryPodmanOnImages(timeout, args));
    }

    /** {@link #podmanOnImages}, whatever its exit code. */
    public Result tryPodmanOnImages(Duration timeout, String... args) throws IOException, InterruptedException {
        return run(imageEnv, timeout, List.of(args));
    }

    /** Whether images go to the shared store, which outlives this service. */
    public boolean sharesImages() {
        return sharedRoot != null;
    }

    /** Where files that images are made from are kept between runs: the shared root, also after {@link #start()}. */
    Path cacheDir() throws IOException {
        return Files.createDirectories(sharedRoot());
    }

    /** Imports the busybox stand-in under {@code image}'s name, into the store images come from. */
    public void importStandIn(String image) throws IOException, InterruptedException {
        if (standInTar == null) {
            standInTar = buildStandIn();
        }
        podmanOnImages(
                CLI_TIMEOUT,
                "import",
                "--change",
                "ENTRYPOINT=[\"/bin/sh\",\"/entry.sh\"]",
                standInTar.toString(),
                image);
    }

    private static void requireTools() {
        if (!Files.isExecutable(PODMAN) || !Files.isExecutable(BUSYBOX)) {
            throw new IllegalStateException("podman and busybox-static are needed (bin/setup installs them)");
        }
    }

    /**
     * The storage driver for a store: the one it was made with; for a new one
     * {@code RESEARCH_MONITOR_PODMAN_DRIVER}, else overlay where the kernel has it (layers shared,
     * containers made in no time), else vfs (each layer and each container a full copy).
     */
    static String driverFor(Path store) throws IOException {
        for (String driver : List.of("overlay", "vfs")) {
            if (Files.isDirectory(store.resolve(driver + "-layers"))) {
                return driver;
            }
        }
        String configured = System.getenv("RESEARCH_MONITOR_PODMAN_DRIVER");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        return Files.readString(Path.of("/proc/filesystems")).contains("\toverlay\n") ? "overlay" : "vfs";
    }

    /** containers.conf and storage.conf for one storage; returns the environment that selects them. */
    private static Map<String, String> writeConfig(
            Path dir, Path graph, Path run, String driver, List<Path> readOnlyImageStores) throws IOException {
        Files.createDirectories(dir.resolve("networks"));
        Path conf = dir.resolve("containers.conf");
        writeAtomically(
                conf,
                String.join(
                        "\n",
                        "[containers]",
                        "default_ulimits = [\"nofile=16384:16384\", \"nproc=8192:8192\"]",
                        "[network]",
                        "network_config_dir = \"" + dir.resolve("networks") + "\"",
                        "[engine]",
                        "cgroup_manager = \"cgroupfs\"",
                        "events_logger = \"file\"",
                        "events_logfile_path = \"" + dir.resolve("events.log") + "\"",
                        "runtime = \"runc\"",
                        "tmp_dir = \"" + dir.resolve("tmp") + "\"",
                        ""));
        StringBuilder storage = new StringBuilder(String.join(
                "\n",
                "[storage]",
                "driver = \"" + driver + "\"",
                "runroot = \"" + run + "\"",
                "graphroot = \"" + graph + "\"",
                ""));
        if (!readOnlyImageStores.isEmpty()) {
            storage.append("[storage.options]\nadditionalimagestores = [")
                    .append(String.join(
                            ", ",
                            readOnlyImageStores.stream()
                                    .map(p -> "\"" + p + "\"")
                                    .toList()))
                    .append("]\n");
        }
        Path storageConf = dir.resolve("storage.conf");
        writeAtomically(storageConf, storage.toString());
        return Map.of("CONTAINERS_CONF", conf.toString(), "CONTAINERS_STORAGE_CONF", storageConf.toString());
    }

    /** Concurrent runs rewrite the shared configuration with the same text: never let one read half of it. */
    private static void writeAtomically(Path file, String text) throws IOException {
        Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        Files.writeString(temp, text);
        Files.move(
                temp,
                file,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static PodmanService startService(
            Path root, Map<String, String> env, Map<String, String> imageEnv, Path shared)
            throws IOException, InterruptedException {
        Path socket = root.resolve("podman.sock");
        ProcessBuilder builder = new ProcessBuilder(
                        PODMAN.toString(), "system", "service", "--time=0", "unix://" + socket)
                .redirectErrorStream(true)
                .redirectOutput(root.resolve("service.log").toFile());
        builder.environment().putAll(env);
        PodmanService podman = new PodmanService(root, env, imageEnv, shared, builder.start());
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!answersPing(socket)) {
            if (Instant.now().isAfter(deadline) || !podman.service.isAlive()) {
                String log = Files.readString(root.resolve("service.log"));
                podman.close();
                throw new IllegalStateException("podman's API service did not answer:\n" + log);
            }
            Thread.sleep(100);
        }
        return podman;
    }

    /** {@code GET /_ping} over the unix socket answers {@code OK} once the service is up. */
    private static boolean answersPing(Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(
                    ByteBuffer.wrap("GET /_ping HTTP/1.0\r\nHost: podman\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer answer = ByteBuffer.allocate(1024);
            channel.read(answer);
            return new String(answer.array(), 0, answer.position(), StandardCharsets.US_ASCII)
                    .matches("(?s)HTTP/1\\.[01] 200.*");
        } catch (IOException e) {
            return false;
        }
    }

    private static String orThrow(String[] args, Result result) {
        if (!result.ok()) {
            throw new IllegalStateException(
                    "podman " + String.join(" ", args) + " failed (" + result.exitCode() + "): " + result.output());
        }
        return result.output();
    }

    /** Runs podman with its output in a file, so that a long build can neither fill a pipe nor outlive its timeout. */
    private static Result run(Map<String, String> env, Duration timeout, List<String> args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PODMAN.toString()));
        command.addAll(args);
        Path log = Files.createTempFile("podman-cli", ".log");
        try {
            ProcessBuilder builder =
                    new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
                throw new IllegalStateException("podman " + String.join(" ", args) + " took longer than " + timeout
                        + ":\n" + tail(Files.readString(log)));
            }
            return new Result(process.exitValue(), Files.readString(log));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    static String tail(String text) {
        return text.length() <= 6000 ? text : "..." + text.substring(text.length() - 6000);
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
        for (String path :
                List.of("-/healthy", "-/ready", "metrics", "healthz", "health", "api/health", "api/index.html")) {
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
                .redirectErrorStream(true)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("tar failed: " + out);
        }
        return tar;
    }

    /**
     * Stops the service and removes its own storage. Containers it still runs are removed first:
     * their processes would otherwise outlive the service (conmon keeps them).
     */
    @Override
    public void close() {
        try {
            if (service.isAlive()) {
                // only this service's own containers and networks: its storage and network folder are private
                run(env, CLI_TIMEOUT, List.of("rm", "--all", "--force", "--time", "5"));
                run(env, CLI_TIMEOUT, List.of("network", "prune", "--force"));
            }
        } catch (IOException | RuntimeException e) {
            // best effort: the service and its folder go in any case
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
        try {
            TempDirs.deleteTree(dir);
        } catch (java.io.UncheckedIOException ignored) {
            // a leftover temp folder is harmless
        }
    }
}
