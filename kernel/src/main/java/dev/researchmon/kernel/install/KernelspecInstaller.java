package dev.researchmon.kernel.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.researchmon.kernel.startup.ClassArchive;
import dev.researchmon.kernel.startup.JitPolicy;
import dev.researchmon.kernel.startup.StartupTuning;
import dev.researchmon.magics.MonitoringSettings;
import dev.researchmon.magics.monitor.SidecarLauncher;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes a self-contained kernelspec where Jupyter looks for it: {@code kernel.json}, a copy of the
 * kernel's jar, the JVM options in one file ({@value #OPTIONS_FILE}, read by the launcher as an
 * {@code @argfile}) and what start-up tuning made beside them (the JIT directives, the class
 * archive). {@code mvn clean}, a rebuilt jar or a moved checkout leave an installed kernel as it
 * was; installing again brings it up to date. The java launcher is absolute, so the kernel starts
 * whatever the PATH is.
 *
 * <pre>{@code
 * Path dir = KernelspecInstaller.userKernelsDir(System.getenv());
 * new KernelspecInstaller(javaPath, jarPath).install(dir, "java");
 * }</pre>
 */
public final class KernelspecInstaller {
    public static final String DEFAULT_NAME = "java";
    public static final String DISPLAY_NAME = "Java (research-monitor)";
    /** In our kernel.json's metadata: this installer wrote it, so a later install may overwrite it. */
    static final String MARKER = "research_monitor_kernel";
    /** The kernel's jar, copied into the kernelspec folder. */
    public static final String JAR_FILE = "research-kernel.jar";
    /** The JVM options, one a line, that kernel.json's argv passes as {@code @argfile}. */
    public static final String OPTIONS_FILE = "jvm.options";
    /** Jupyter's rule for kernel names. */
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9._-]+");
    /**
     * Options every JDK from 17 on accepts without a warning. The serial collector is the smallest;
     * a 16 MB young generation to start with (the JVM grows it with the heap) keeps a new kernel's
     * resident memory at about 140 MB instead of 230: by default its eden is 1/3 of 1/64 of the
     * machine's memory, and JShell's start touches all of it once (docs/performance.md). Class data
     * sharing is the JVM's default ({@code -Xshare:auto}), which Java 25 refuses to have named beside
     * its AOT cache's options.
     */
    static final List<String> JVM_OPTIONS = List.of("-Djava.awt.headless=true", "-XX:+UseSerialGC", "-XX:NewSize=16m");

    /** How long the training run that makes the class archive may take (a loaded 2-core machine needs ~20 s). */
    static final Duration ARCHIVE_TRAINING = Duration.ofSeconds(180);

    private final Path java;
    private final Path jar;
    private final JitPolicy jit;
    /** The release of {@link #java} when a class archive is to be made, else 0. */
    private final int archiveForJava;

    private final boolean startupTuning;
    private final PrintStream warnings;

    public KernelspecInstaller(Path java, Path jar) {
        this(java, jar, JitPolicy.TIERED_USER_CODE);
    }

    public KernelspecInstaller(Path java, Path jar, JitPolicy jit) {
        this(java, jar, jit, 0, true, System.err);
    }

    private KernelspecInstaller(
            Path java, Path jar, JitPolicy jit, int archiveForJava, boolean startupTuning, PrintStream warnings) {
        this.java = java.toAbsolutePath();
        this.jar = jar.toAbsolutePath();
        this.jit = jit;
        this.archiveForJava = archiveForJava;
        this.startupTuning = startupTuning;
        this.warnings = warnings;
    }

    /**
     * This installer, also making the kernelspec's class archive ({@link ClassArchive}) by a training
     * run of the kernel on {@code java}, of release {@code javaFeature}. Why it could not be made
     * goes to {@code warnings}; the kernelspec is written all the same.
     */
    public KernelspecInstaller withClassArchive(int javaFeature, PrintStream warnings) {
        return new KernelspecInstaller(java, jar, jit, javaFeature, startupTuning, warnings);
    }

    /**
     * This installer with none of the start-up tuning ({@link StartupTuning}): the JVM's own JIT, no
     * class archive, no warm-up.
     */
    public KernelspecInstaller withoutStartupTuning() {
        return new KernelspecInstaller(java, jar, JitPolicy.FULL, 0, false, warnings);
    }

    /** {@code $JUPYTER_DATA_DIR/kernels}, else the per-user data folder, as {@code --user} does. */
    public static Path userKernelsDir(Map<String, String> env) {
        String data = env.get("JUPYTER_DATA_DIR");
        if (data != null && !data.isBlank()) {
            return Path.of(data).resolve("kernels");
        }
        String home = System.getProperty("user.home");
        String os = System.getProperty("os.name", "").toLowerCase();
        if (os.contains("mac")) {
            return Path.of(home, "Library", "Jupyter", "kernels");
        }
        if (os.contains("win")) {
            String appData = env.getOrDefault("APPDATA", home);
            return Path.of(appData, "jupyter", "kernels");
        }
        String xdg = env.get("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(home, ".local", "share");
        return base.resolve("jupyter").resolve("kernels");
    }

    /** {@code PREFIX/share/jupyter/kernels}, as {@code --prefix} does. */
    public static Path prefixKernelsDir(Path prefix) {
        return prefix.resolve("share").resolve("jupyter").resolve("kernels");
    }

    /** Writes the kernelspec; returns its folder. Refuses to replace a kernelspec it did not write. */
    public Path install(Path kernelsDir, String name) throws IOException {
        return install(kernelsDir, name, false);
    }

    /**
     * Writes the kernelspec; returns its folder.
     *
     * @param replace whether a kernelspec of that name that this installer did not write (IJava's
     *                {@code java}, say) may be replaced; its folder is then removed with all its files
     * @throws IllegalArgumentException for a bad name, a missing jar, or another kernel's
     *                                  kernelspec in the way without {@code replace}
     */
    public Path install(Path kernelsDir, String name, boolean replace) throws IOException {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "kernel name '" + name + "' may hold only letters, digits, '.', '_' and '-'");
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("the kernel jar " + jar + " does not exist; build it with mvn package");
        }
        Path dir = kernelsDir.resolve(name);
        if (isForeign(dir) && !replace) {
            throw new IllegalArgumentException("a kernelspec '" + name + "' that research-kernel did not write is "
                    + "installed in " + dir + " (" + describe(dir) + "); pass --replace to replace it (its "
                    + "files are removed) or --name to install beside it");
        }
        Files.createDirectories(kernelsDir);
        // the jar first, beside the folder: it may be the folder's own copy (an install run from it)
        Path newJar = Files.createTempFile(kernelsDir, "." + name + "-", ".jar");
        try {
            Files.copy(jar, newJar, StandardCopyOption.REPLACE_EXISTING);
            // whatever an earlier install left (another JDK's archive) goes; a running kernel keeps
            // the files it has open
            if (Files.exists(dir)) {
                deleteTree(dir);
            }
            Files.createDirectories(dir);
            Files.move(newJar, dir.resolve(JAR_FILE));
        } finally {
            Files.deleteIfExists(newJar);
        }
        Path ownJar = dir.resolve(JAR_FILE).toAbsolutePath();
        Path options = dir.resolve(OPTIONS_FILE).toAbsolutePath();
        List<String> jvm = jvmOptions(dir);
        writeOptions(options, jvm);
        if (archiveForJava > 0) {
            List<String> archive = classArchiveOptions(dir, options, ownJar);
            if (!archive.isEmpty()) {
                jvm.addAll(archive);
                writeOptions(options, jvm);
            }
        }
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode spec = json.createObjectNode();
        ArrayNode argv = spec.putArray("argv");
        argv.add(java.toString());
        argv.add("@" + options);
        argv.add("-jar");
        argv.add(ownJar.toString());
        argv.add("{connection_file}");
        spec.put("display_name", DISPLAY_NAME);
        spec.put("language", "java");
        spec.put("interrupt_mode", "message");
        spec.putObject("env");
        ObjectNode metadata = spec.putObject("metadata");
        metadata.put("debugger", false);
        metadata.put(MARKER, true);
        Files.writeString(dir.resolve("kernel.json"), json.writeValueAsString(spec) + "\n");
        return dir;
    }

    /**
     * The kernel's JVM options for kernelspec folder {@code dir}, less the class archive's: the base
     * ones, the JIT policy's (its directives file written into {@code dir}), the switch when start-up
     * tuning is off, and where the checkout's sidecar launcher is, for {@code %monitoring on}.
     */
    private List<String> jvmOptions(Path dir) throws IOException {
        List<String> jvm = new ArrayList<>(JVM_OPTIONS);
        jvm.addAll(jit.writeInto(dir));
        if (!startupTuning) {
            jvm.add(StartupTuning.OFF);
        }
        SidecarLauncher.launcherOfCheckout(jar)
                .ifPresent(launcher -> jvm.add("-D" + MonitoringSettings.SIDECAR_LAUNCHER_PROPERTY + "=" + launcher));
        return jvm;
    }

    /**
     * The options file: a comment saying what it is, then one option a line, quoted as the java
     * launcher's {@code @argfile} reads quotes, so that a path with spaces stays one option.
     */
    static void writeOptions(Path file, List<String> options) throws IOException {
        StringBuilder text = new StringBuilder("# JVM options of this kernel, read by java as @" + OPTIONS_FILE
                + " (kernel.json's argv).\n# Written by research-kernel install; install again to change them.\n");
        for (String option : options) {
            boolean plain =
                    option.chars().noneMatch(c -> Character.isWhitespace(c) || c == '"' || c == '\'' || c == '#');
            text.append(plain ? option : "\"" + option.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                    .append('\n');
        }
        Files.writeString(file, text.toString());
    }

    /**
     * Makes the class archive under the kernelspec's own options file; its options when it was made,
     * or when the JVM makes one itself at the first kernel's exit (Java 19 to 24), none otherwise.
     */
    private List<String> classArchiveOptions(Path dir, Path options, Path ownJar) {
        Optional<String> failed = ClassArchive.make(
                List.of(java.toString(), "@" + options), ownJar, dir, archiveForJava, ARCHIVE_TRAINING);
        boolean autoCreates =
                archiveForJava >= ClassArchive.AUTO_CREATE_SINCE && archiveForJava < ClassArchive.AOT_CACHE_SINCE;
        failed.ifPresent(why -> warnings.println("research-kernel install: no class archive made, so the kernel "
                + "starts slower" + (autoCreates ? " until its first exit makes one" : "") + ": " + why));
        if (failed.isPresent() && !autoCreates) {
            return List.of();
        }
        return ClassArchive.options(dir, archiveForJava);
    }

    /**
     * Whether {@code dir} holds a kernelspec, or anything, that this installer did not write: ours
     * carry {@link #MARKER}, and older ones run {@code research-kernel.jar}.
     */
    static boolean isForeign(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Files.exists(dir);
        }
        Path kernelJson = dir.resolve("kernel.json");
        if (!Files.isRegularFile(kernelJson)) {
            try (Stream<Path> files = Files.list(dir)) {
                return files.findAny().isPresent();
            }
        }
        try {
            JsonNode spec = new ObjectMapper().readTree(kernelJson.toFile());
            return !spec.path("metadata").path(MARKER).asBoolean(false)
                    && !spec.path("argv").toString().contains("research-kernel.jar");
        } catch (IOException malformed) {
            return true;
        }
    }

    /** What the kernelspec in the way is, for the refusal: its display name and launcher. */
    private static String describe(Path dir) {
        try {
            JsonNode spec =
                    new ObjectMapper().readTree(dir.resolve("kernel.json").toFile());
            return "\"" + spec.path("display_name").asText("?") + "\", runs "
                    + spec.path("argv").path(0).asText("?");
        } catch (IOException e) {
            return "no readable kernel.json";
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
