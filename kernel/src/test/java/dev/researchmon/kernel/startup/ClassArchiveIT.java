package dev.researchmon.kernel.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.researchmon.kernel.install.JavaRuntime;
import dev.researchmon.kernel.install.KernelspecInstaller;
import dev.researchmon.kernel.it.KernelHarness;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The class archive {@code install} makes by a training run of the real kernel, on each JDK
 * the kernel ITs find: the JVM maps it (it must, under {@code -Xshare:on}), a stale one is left aside
 * without a word, and a training run that cannot run is said once while the kernelspec is written.
 */
class ClassArchiveIT {
    /** The kernel's answer to a start without a connection file: exit 2 and this line, nothing else. */
    private static final String USAGE = "research-kernel: a connection file is needed";

    private static final Path JAR = Path.of("target/research-kernel.jar").toAbsolutePath();

    /** The kernel ITs' JDKs ({@code -Dkernel.it.jdks} or the build's and Temurin 25). */
    static List<JavaRuntime> jdks() {
        return KernelHarness.jdks().stream()
                .map(jdk -> JavaRuntime.probe(jdk.home()))
                .toList();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void install_makesAnArchive_thatTheJvmMaps_andStartsWithNoWordAboutIt(JavaRuntime java, @TempDir Path tmp)
            throws Exception {
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        Path dir = install(java, JAR, tmp, warnings);

        assertEquals("", warnings.toString(StandardCharsets.UTF_8));
        Path archive = ClassArchive.file(dir, java.feature());
        assertTrue(Files.size(archive) > 1_000_000, "archive of the kernel's classes: " + Files.size(archive));
        List<String> argv = argv(dir);
        List<String> options = options(dir);
        assertTrue(options.containsAll(ClassArchive.options(dir, java.feature())), options.toString());
        assertEquals(
                java.feature() >= ClassArchive.AUTO_CREATE_SINCE && java.feature() < ClassArchive.AOT_CACHE_SINCE,
                options.contains("-XX:+AutoCreateSharedArchive"));

        // -Xshare:on (AOTMode=on from 25) makes a JVM that cannot map the archive refuse to start
        List<String> strict = new ArrayList<>(jvmOptions(argv));
        strict.add(java.feature() >= ClassArchive.AOT_CACHE_SINCE ? "-XX:AOTMode=on" : "-Xshare:on");
        Path ownJar = dir.resolve(KernelspecInstaller.JAR_FILE);
        assertOnlyTheKernelSpeaks(strict, ownJar);
        assertOnlyTheKernelSpeaks(jvmOptions(argv), ownJar);
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void staleArchive_isLeftAsideWithoutAWord(JavaRuntime java, @TempDir Path tmp) throws Exception {
        Path dir = install(java, JAR, tmp, new ByteArrayOutputStream());
        // a newer jar where the kernelspec's was (written by hand): the archive no longer matches it
        Path jar = dir.resolve(KernelspecInstaller.JAR_FILE);
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(3600)));

        assertOnlyTheKernelSpeaks(jvmOptions(argv(dir)), jar);
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void trainingRunThatCannotStart_isSaidOnce_andTheKernelspecIsWrittenAllTheSame(JavaRuntime java, @TempDir Path tmp)
            throws Exception {
        Path notAKernel = Files.writeString(tmp.resolve("broken.jar"), "not a jar");
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        Path dir = install(java, notAKernel, tmp, warnings);

        String said = warnings.toString(StandardCharsets.UTF_8);
        assertTrue(said.startsWith("research-kernel install: no class archive made"), said);
        assertTrue(said.contains("the training kernel exited"), said);
        assertEquals(1, said.lines().count(), said);
        List<String> options = options(dir);
        // Java 19 to 24 make the archive at the first kernel's exit; 17 and 25 start without one
        assertEquals(
                java.feature() >= ClassArchive.AUTO_CREATE_SINCE && java.feature() < ClassArchive.AOT_CACHE_SINCE,
                options.stream().anyMatch(a -> a.startsWith("-XX:SharedArchiveFile=")),
                options.toString());
        assertFalse(options.stream().anyMatch(a -> a.startsWith("-XX:AOTCache=")), options.toString());
        assertFalse(Files.exists(ClassArchive.file(dir, java.feature())));
    }

    private static Path install(JavaRuntime java, Path jar, Path tmp, ByteArrayOutputStream warnings)
            throws IOException {
        return new KernelspecInstaller(java.launcher(), jar)
                .withClassArchive(java.feature(), new PrintStream(warnings, true, StandardCharsets.UTF_8))
                .install(tmp.resolve("kernels"), "java-archive-it");
    }

    private static List<String> argv(Path dir) throws IOException {
        JsonNode spec = new ObjectMapper().readTree(dir.resolve("kernel.json").toFile());
        List<String> argv = new ArrayList<>();
        spec.path("argv").forEach(a -> argv.add(a.asText()));
        return argv;
    }

    /** The kernelspec's options file, a line each, without its comments. */
    private static List<String> options(Path dir) throws IOException {
        return Files.readAllLines(dir.resolve(KernelspecInstaller.OPTIONS_FILE)).stream()
                .filter(l -> !l.startsWith("#"))
                .toList();
    }

    /** The launcher and JVM options: the argv up to {@code -jar}. */
    private static List<String> jvmOptions(List<String> argv) {
        return argv.subList(0, argv.indexOf("-jar"));
    }

    /** Starts the kernel with no connection file: only its own usage line may come out, on stderr. */
    private static void assertOnlyTheKernelSpeaks(List<String> jvm, Path jar) throws Exception {
        List<String> command = new ArrayList<>(jvm);
        command.addAll(List.of("-jar", jar.toString()));
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals("", out, "stdout of " + command);
        assertTrue(err.startsWith(USAGE) && err.lines().count() == 1, "stderr of " + command + ":\n" + err);
        assertEquals(2, p.exitValue());
    }
}
