package dev.researchmon.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The JDKs the tests run kernels and sidecars on, found on this machine rather than named: every
 * folder of {@code /usr/lib/jvm} holding a {@code bin/java} and a {@code release} file, one per
 * Java release (the JDK running the tests first for its own release), or exactly the homes listed in
 * {@code -Dkernel.it.jdks=HOME,HOME}. A release the project supports that this machine lacks
 * (Java 25 on Debian bookworm, 17 on trixie) is not skipped silently: {@link #missingOnHost()}
 * names it, and the research container's tests run it there.
 *
 * <pre>{@code
 * for (Jdks.Jdk jdk : Jdks.onHost()) {
 *     run(jdk.java(), "-jar", jar);          // Java 17, Java 25, ... as this machine has them
 * }
 * Jdks.missingOnHost();                      // e.g. [21]: covered in the research container
 * }</pre>
 */
public final class Jdks {
    /** The Java releases the kernel and the sidecar are supported on, and tested on every run. */
    public static final List<Integer> SUPPORTED = List.of(17, 21, 25);
    /** Lists JDK homes, comma-separated, instead of looking in {@link #JVM_DIR}. */
    public static final String PROPERTY = "kernel.it.jdks";
    /** Where Debian's packages (and Temurin's) put their JDKs. */
    public static final Path JVM_DIR = Path.of("/usr/lib/jvm");

    /** A JDK found here, named by its release in test names. */
    public record Jdk(int feature, Path home) {
        public Path java() {
            return home.resolve("bin/java");
        }

        @Override
        public String toString() {
            return "Java " + feature;
        }
    }

    private Jdks() {}

    /**
     * The supported JDKs this machine has, one per release, oldest first: those listed in
     * {@code -Dkernel.it.jdks} (each must exist), or else those found in {@code /usr/lib/jvm}.
     */
    public static List<Jdk> onHost() {
        String listed = System.getProperty(PROPERTY, "");
        if (!listed.isBlank()) {
            List<Jdk> jdks = new ArrayList<>();
            for (String home : listed.split(",")) {
                Path h = Path.of(home.strip());
                jdks.add(new Jdk(
                        feature(h)
                                .orElseThrow(() -> new IllegalArgumentException("-D" + PROPERTY + " names " + h
                                        + ", which is not a JDK (no bin/java and release file)")),
                        h));
            }
            return jdks;
        }
        return discover(JVM_DIR, Path.of(System.getProperty("java.home")));
    }

    /** The supported releases that {@link #onHost()} lacks, which only a container can run here. */
    public static List<Integer> missingOnHost() {
        List<Integer> have = onHost().stream().map(Jdk::feature).toList();
        return SUPPORTED.stream().filter(f -> !have.contains(f)).toList();
    }

    /** The host's JDK of that release, if it has one. */
    public static java.util.Optional<Jdk> onHost(int feature) {
        return onHost().stream().filter(j -> j.feature() == feature).findFirst();
    }

    /**
     * The supported JDKs under {@code jvmDir}, one per release; {@code preferred} (the JDK running
     * the tests) wins for its release, then folders in name order. Links to the same JDK count once.
     */
    static List<Jdk> discover(Path jvmDir, Path preferred) {
        Map<Integer, Jdk> byFeature = new LinkedHashMap<>();
        List<Path> candidates = new ArrayList<>();
        candidates.add(preferred);
        if (Files.isDirectory(jvmDir)) {
            try (Stream<Path> dirs = Files.list(jvmDir)) {
                dirs.sorted().forEach(candidates::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (Path home : candidates) {
            feature(home).filter(SUPPORTED::contains).ifPresent(f -> byFeature.putIfAbsent(f, new Jdk(f, home)));
        }
        return byFeature.values().stream()
                .sorted(Comparator.comparingInt(Jdk::feature))
                .toList();
    }

    /**
     * The release of the JDK at {@code home}, read from its {@code release} file (no JVM started);
     * empty when it is not a JDK: no {@code bin/java}, or a JRE without {@code bin/javac}.
     */
    static java.util.Optional<Integer> feature(Path home) {
        Path release = home.resolve("release");
        if (!Files.isExecutable(home.resolve("bin/java"))
                || !Files.isExecutable(home.resolve("bin/javac"))
                || !Files.isRegularFile(release)) {
            return java.util.Optional.empty();
        }
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(release)) {
            p.load(in);
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
        String version = p.getProperty("JAVA_VERSION", "").replace("\"", "").strip();
        if (version.startsWith("1.")) {
            version = version.substring(2);
        }
        String major = version.split("[.+-]")[0];
        try {
            return java.util.Optional.of(Integer.parseInt(major));
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }
}
