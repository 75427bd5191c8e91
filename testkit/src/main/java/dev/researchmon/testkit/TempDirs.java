package dev.researchmon.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Temporary folders a test makes outside JUnit's {@code @TempDir} (shared fixtures, containers'
 * mounts), and their removal with everything in them.
 *
 * <pre>{@code
 * Path dir = TempDirs.create("research-container");
 * try { ... } finally { TempDirs.deleteTree(dir); }
 * }</pre>
 */
public final class TempDirs {
    private TempDirs() {}

    /** A new folder under the system's temporary folder, its name starting with {@code prefix}. */
    public static Path create(String prefix) throws IOException {
        return Files.createTempDirectory(prefix);
    }

    /**
     * Removes {@code root} and everything under it, children first; nothing when it is gone already.
     * Links are removed, never followed. A file that cannot be removed (a container's, owned by
     * another user) is left, so that the caller's other clean-up still runs.
     */
    public static void deleteTree(Path root) {
        if (root == null || !Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
