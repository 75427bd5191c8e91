package dev.researchmon.testkit.containers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The images the container tests run, made here from Debian's packages and the project's own files
 * (no registry can be reached): a Debian trixie base, the research image from
 * {@code docker/Dockerfile}, and the stack's parts under the names {@code docker/compose.yaml} uses.
 *
 * <p>Each {@code ensure*} does nothing when the image is there and was made from the same inputs
 * (a content hash, kept in the image's {@value #HASH_LABEL} label), and prints how long it took when
 * it builds. With {@link PodmanService#startShared()} the images outlive the run, so a second run
 * (and every other container test of the same run) finds them built.
 *
 * <pre>{@code
 * try (PodmanService podman = PodmanService.startShared()) {
 *     TestImages.ensurePartImages(podman);        // prom/prometheus:v2.53.2 ... from trixie packages
 *     String research = TestImages.ensureResearchImage(podman);
 * }
 * }</pre>
 */
public final class TestImages {
    /** The Debian base every image here starts from, under the name Dockerfiles use for it. */
    public static final String BASE = "docker.io/library/debian:trixie";
    /** The research image built from {@code docker/Dockerfile} (also tagged with compose.yaml's name for it). */
    public static final String RESEARCH = "localhost/research-monitor/research:test";
    /** The label that holds the hash of what an image was made from. */
    public static final String HASH_LABEL = "dev.researchmon.test.content-hash";
    /** Debian's Prometheus, Alertmanager and node-exporter in one layer, which each part image starts from. */
    static final String PARTS = "localhost/research-monitor/parts:test";

    static final String SUITE = "trixie";
    static final String MIRROR = "http://deb.debian.org/debian";
    /** Parts of compose.yaml made from Debian's packages (PART.Containerfile each, on {@link #PARTS}). */
    static final List<String> PACKAGED_PARTS = List.of("prometheus", "alertmanager", "node-exporter");
    /** Parts packaged nowhere reachable from here: busybox answering their health paths. */
    static final List<String> STAND_IN_PARTS = List.of("grafana", "cadvisor");

    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(15);
    private static final Duration CLI_TIMEOUT = Duration.ofMinutes(2);

    private TestImages() {}

    /**
     * The Debian trixie base ({@value #BASE}), imported from a root filesystem made by
     * {@code mmdebstrap --variant=minbase}; the tarball is kept beside the shared store, so it is
     * made once per machine (about 40 s).
     */
    public static String ensureBase(PodmanService podman) throws IOException, InterruptedException {
        return locked(podman, () -> {
            Path tarball = podman.cacheDir().resolve("debian-" + SUITE + "-minbase.tar");
            if (!Files.exists(tarball)) {
                long started = System.nanoTime();
                Path partial = podman.cacheDir().resolve("debian-" + SUITE + "-minbase.partial.tar");
                exec(
                        BUILD_TIMEOUT,
                        "mmdebstrap",
                        "--quiet",
                        "--variant=minbase",
                        "--format=tar",
                        SUITE,
                        partial.toString(),
                        MIRROR);
                Files.move(partial, tarball, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                report("made the Debian " + SUITE + " root filesystem (mmdebstrap)", started);
            }
            String hash = hash(digest -> update(digest, tarball));
            if (!upToDate(podman, BASE, hash)) {
                long started = System.nanoTime();
                podman.podmanOnImages(
                        BUILD_TIMEOUT,
                        "import",
                        "--change",
                        "LABEL " + HASH_LABEL + "=" + hash,
                        "--change",
                        "CMD [\"/bin/bash\"]",
                        tarball.toString(),
                        BASE);
                report("imported " + BASE, started);
            }
            return BASE;
        });
    }

    /**
     * The research image, built from {@code docker/Dockerfile} with the repository root as context,
     * tagged {@value #RESEARCH} and with compose.yaml's name for it. The build is lent this machine's
     * Maven repository (an overlay, so nothing is written back) and runs Maven offline: from inside a
     * container, HTTPS to Maven Central fails its certificate checks on these machines.
     */
    public static String ensureResearchImage(PodmanService podman) throws IOException, InterruptedException {
        String baseId = imageId(podman, ensureBase(podman));
        return locked(podman, () -> {
            Path repo = repoRoot();
            String hash = hash(digest -> {
                update(digest, baseId);
                for (Path file : buildContext(repo)) {
                    update(digest, repo.relativize(file).toString());
                    update(digest, file);
                }
            });
            String composeName = qualified(composeImages(repo).get("research"));
            if (!upToDate(podman, RESEARCH, hash) || !upToDate(podman, composeName, hash)) {
                long started = System.nanoTime();
                Path m2 = Path.of(System.getProperty("user.home"), ".m2");
                podman.podmanOnImages(
                        BUILD_TIMEOUT,
                        "build",
                        "--network",
                        "host",
                        "--format",
                        "docker",
                        "--layers",
                        "--volume",
                        m2 + ":/root/.m2:O",
                        "--build-arg",
                        "MAVEN_ARGS=--offline",
                        "--label",
                        HASH_LABEL + "=" + hash,
                        "--file",
                        repo.resolve("docker/Dockerfile").toString(),
                        "--tag",
                        RESEARCH,
                        "--tag",
                        composeName,
                        repo.toString());
                report("built " + RESEARCH + " from docker/Dockerfile", started);
                pruneDangling(podman);
            }
            return RESEARCH;
        });
    }

    /**
     * Prometheus, Alertmanager and node-exporter from Debian trixie's packages (Prometheus 2.53, as
     * compose.yaml's upstream image), and busybox stand-ins for Grafana and cAdvisor, each under the
     * image name {@code docker/compose.yaml} gives it. Returns service name to image name.
     */
    public static Map<String, String> ensurePartImages(PodmanService podman) throws IOException, InterruptedException {
        String baseId = imageId(podman, ensureBase(podman));
        return locked(podman, () -> {
            Map<String, String> images = composeImages(repoRoot());
            String partsHash = build(podman, PARTS, "parts.Containerfile", baseId);
            for (String part : PACKAGED_PARTS) {
                build(podman, images.get(part), part + ".Containerfile", partsHash);
            }
            for (String part : STAND_IN_PARTS) {
                String image = images.get(part);
                if (!podman.tryPodmanOnImages(CLI_TIMEOUT, "image", "exists", image)
                        .ok()) {
                    podman.importStandIn(image);
                }
            }
            return images;
        });
    }

    /**
     * Builds {@code image} from one of testkit's Containerfiles unless it was built from the same
     * text on the same parent; returns its content hash (what an image built on it hashes with).
     */
    private static String build(PodmanService podman, String image, String containerfile, String parentHash)
            throws IOException, InterruptedException {
        String text = resource(containerfile);
        String hash = hash(digest -> {
            update(digest, parentHash);
            update(digest, text);
        });
        if (upToDate(podman, image, hash)) {
            return hash;
        }
        Path context = Files.createTempDirectory("test-image");
        try {
            Files.writeString(context.resolve("Containerfile"), text);
            long started = System.nanoTime();
            podman.podmanOnImages(
                    BUILD_TIMEOUT,
                    "build",
                    "--network",
                    "host",
                    "--format",
                    "docker",
                    "--label",
                    HASH_LABEL + "=" + hash,
                    "--tag",
                    qualified(image),
                    context.toString());
            report("built " + image + " from " + containerfile, started);
        } finally {
            Files.deleteIfExists(context.resolve("Containerfile"));
            Files.deleteIfExists(context);
        }
        pruneDangling(podman);
        return hash;
    }

    /**
     * The name as Docker reads it: {@code prom/prometheus:v2.53.2} is Docker Hub's. Podman's build
     * would file an unqualified tag under {@code localhost/}.
     */
    static String qualified(String image) {
        String first = image.contains("/") ? image.substring(0, image.indexOf('/')) : "";
        boolean hasRegistry = first.contains(".") || first.contains(":") || first.equals("localhost");
        return hasRegistry ? image : "docker.io/" + (image.contains("/") ? image : "library/" + image);
    }

    /** The repository root: the nearest folder above the working directory that holds docker/compose.yaml. */
    public static Path repoRoot() {
        String configured = System.getProperty("repo.root");
        Path start = Path.of(configured != null ? configured : System.getProperty("user.dir"))
                .toAbsolutePath()
                .normalize();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("docker/compose.yaml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no docker/compose.yaml in " + start + " or above it");
    }

    /** Service name to image name, as docker/compose.yaml gives them. */
    static Map<String, String> composeImages(Path repo) {
        try {
            JsonNode services = new ObjectMapper(new YAMLFactory())
                    .readTree(repo.resolve("docker/compose.yaml").toFile())
                    .path("services");
            Map<String, String> images = new java.util.TreeMap<>();
            services.fields()
                    .forEachRemaining(e ->
                            images.put(e.getKey(), e.getValue().path("image").asText()));
            return images;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The files a build of the repository root sends as its context: everything but what
     * .dockerignore leaves out (its patterns are globs; {@code **}{@code /x} also matches x at the top).
     */
    static List<Path> buildContext(Path repo) throws IOException {
        List<PathMatcher> ignored = new ArrayList<>();
        Path ignoreFile = repo.resolve(".dockerignore");
        if (Files.exists(ignoreFile)) {
            for (String line : Files.readAllLines(ignoreFile)) {
                String pattern = line.strip();
                if (pattern.isEmpty() || pattern.startsWith("#") || pattern.startsWith("!")) {
                    continue;
                }
                ignored.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern));
                if (pattern.startsWith("**/")) {
                    ignored.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern.substring(3)));
                }
            }
        }
        try (Stream<Path> files = Files.walk(repo)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> {
                        Path relative = repo.relativize(file);
                        for (int i = 1; i <= relative.getNameCount(); i++) {
                            Path prefix = relative.subpath(0, i);
                            if (ignored.stream().anyMatch(m -> m.matches(prefix))) {
                                return false;
                            }
                        }
                        return true;
                    })
                    .sorted()
                    .toList();
        }
    }

    private static boolean upToDate(PodmanService podman, String image, String hash)
            throws IOException, InterruptedException {
        PodmanService.Result label = podman.tryPodmanOnImages(
                CLI_TIMEOUT,
                "image",
                "inspect",
                "--format",
                "{{index .Labels \"" + HASH_LABEL + "\"}}",
                qualified(image));
        return label.ok() && label.output().strip().equals(hash);
    }

    private static String imageId(PodmanService podman, String image) throws IOException, InterruptedException {
        return podman.podmanOnImages(CLI_TIMEOUT, "image", "inspect", "--format", "{{.Id}}", image)
                .strip();
    }

    /** A rebuilt image leaves its predecessor untagged: the shared store would otherwise grow with every change. */
    private static void pruneDangling(PodmanService podman) throws IOException, InterruptedException {
        podman.tryPodmanOnImages(CLI_TIMEOUT, "image", "prune", "--force");
    }

    /**
     * One builder at a time per image store: a lock file beside it for other JVMs (concurrent runs on
     * the machine), the class for this one (a file lock is held per JVM, not per thread).
     */
    private static synchronized <T> T locked(PodmanService podman, Callable<T> work)
            throws IOException, InterruptedException {
        Path lockFile = podman.cacheDir().resolve("images.lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock ignored = channel.lock()) {
            return work.call();
        } catch (IOException | InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void report(String what, long startedNanos) {
        System.out.printf("TestImages: %s in %.1f s%n", what, (System.nanoTime() - startedNanos) / 1e9);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = TestImages.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from testkit");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void exec(Duration timeout, String... command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("testimages", ".log");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            boolean done = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                process.destroyForcibly();
            }
            if (!done || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + (done ? " failed" : " took too long")
                        + ":\n" + PodmanService.tail(Files.readString(log)));
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private interface DigestWork {
        void feed(MessageDigest digest) throws IOException;
    }

    private static String hash(DigestWork work) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            work.feed(digest);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void update(MessageDigest digest, String text) {
        digest.update(text.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
    }

    private static void update(MessageDigest digest, Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        digest.update((byte) 0);
    }
}
