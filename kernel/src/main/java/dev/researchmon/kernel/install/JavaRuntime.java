package dev.researchmon.kernel.install;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code java} launcher a kernelspec will run, checked before it is written down: it exists,
 * runs, and is Java 17 or later (what the kernel's classes need).
 *
 * <pre>{@code
 * JavaRuntime java = JavaRuntime.probe(Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"));
 * java.feature();   // 25
 * }</pre>
 */
public record JavaRuntime(Path launcher, int feature) {
    /** The oldest Java the kernel runs on ({@code maven.compiler.release}). */
    public static final int OLDEST = 17;

    private static final Pattern VERSION = Pattern.compile("version \"(\\d+)(?:\\.(\\d+))?");

    /** The JVM running this code. */
    public static JavaRuntime current() {
        return new JavaRuntime(
                Path.of(System.getProperty("java.home"), "bin", "java"),
                Runtime.version().feature());
    }

    /**
     * Runs {@code launcher -version} to learn its release.
     *
     * @throws IllegalArgumentException with a message for the user when it is missing, does not run
     *                                  or is older than {@link #OLDEST}
     */
    public static JavaRuntime probe(Path launcher) {
        Path java = Files.isDirectory(launcher) ? launcher.resolve("bin").resolve("java") : launcher;
        if (!Files.isRegularFile(java) || !Files.isExecutable(java)) {
            throw new IllegalArgumentException("--java " + launcher + ": no java launcher there "
                    + "(give the path of bin/java, or of the JDK folder)");
        }
        String out;
        try {
            Process p = new ProcessBuilder(java.toString(), "-version")
                    .redirectErrorStream(true)
                    .start();
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalArgumentException("--java " + java + ": '-version' failed:\n" + out.strip());
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("--java " + java + ": cannot run it: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalArgumentException("--java " + java + ": interrupted while asking its version");
        }
        int feature = feature(out);
        if (feature < OLDEST) {
            throw new IllegalArgumentException(
                    "--java " + java + " is Java " + (feature < 0 ? "of unknown version" : feature)
                            + "; the kernel needs Java " + OLDEST + " or later");
        }
        return new JavaRuntime(java.toAbsolutePath(), feature);
    }

    /** The feature release in {@code java -version} output ({@code 1.8} is 8); -1 when absent. */
    static int feature(String versionOutput) {
        Matcher m = VERSION.matcher(versionOutput);
        if (!m.find()) {
            return -1;
        }
        int first = Integer.parseInt(m.group(1));
        return first == 1 && m.group(2) != null ? Integer.parseInt(m.group(2)) : first;
    }
}
