package dev.researchmon.kernel.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes {@code kernels/<name>/kernel.json} where Jupyter looks for it. The argv is absolute (the
 * JVM that runs the installer, the kernel's jar), so the kernel starts whatever the PATH is.
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
    /** Jupyter's rule for kernel names. */
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9._-]+");
    /** Options every JDK from 17 on accepts without a warning. */
    static final List<String> JVM_OPTIONS = List.of("-Djava.awt.headless=true", "-XX:+UseSerialGC", "-Xshare:auto");
    /** Which JIT the kernel runs; see {@link #JIT_DIRECTIVES} and BENCHMARKS.md for the figures. */
    public enum Jit {
        /**
         * The default: the JVM's tiered JIT for the user's code (C2 for cells' hot loops and the
         * JDK's collections, the kernel's stop check), while javac, JShell and the protocol's
         * libraries stay in C1 code, javac's reached early. JShell compiles every cell with javac,
         * whose code otherwise keeps C2 busy for hundreds of cells and runs slower meanwhile; a
         * trivial cell then costs as much as with C1 only, and hot loops run as fast as with the
         * JVM's default JIT.
         */
        TIERED_USER_CODE,
        /** C1 only ({@code --quick-jit}): javac as quick as above, hot loops in cells about 1.7x slower. */
        QUICK,
        /**
         * The JVM's JIT as it comes ({@code --full-jit}), C2 for javac too, which it spends hundreds
         * of cells compiling.
         */
        FULL
    }

    /** C1 only, for {@link Jit#QUICK}. */
    static final String QUICK_JIT = "-XX:TieredStopAtLevel=1";
    /**
     * Code that C2 leaves alone in {@link Jit#TIERED_USER_CODE}: javac and its tree API, JShell, and
     * the JDK's image and jar file systems that javac reads classes through. Cells' classes
     * ({@code REPL.*}), the rest of the JDK and the kernel get C2 as usual; the kernel must, since
     * HotSpot does not inline a method it refused to compile with C2, and every loop in a cell
     * calls the kernel's stop check. Class patterns as HotSpot's compiler directives write them
     * ({@code package/Class.method}).
     */
    static final List<String> COMPILER_CODE = List.of("com/sun/tools/javac/*.*", "com/sun/source/*.*",
            "jdk/jshell/*.*", "jdk/internal/jimage/*.*", "jdk/internal/jrtfs/*.*", "jdk/nio/zipfs/*.*");
    /**
     * The libraries under the Jupyter protocol, left to C1 as {@link #COMPILER_CODE} is: ZeroMQ
     * (jeromq), the connection file's HMAC (jjava) and the kernel's Jackson, relocated so that a
     * cell's own Jackson is not matched. Their hot paths are small, so C1 serves them about as
     * well as C2 does (the empty cell's round trip did not slow down), but a third of C2's compile
     * time over a session's first 220 cells sent at once went to them (0.95 of 2.8 s on a 2-core
     * machine), time those cells waited for (BENCHMARKS.md, bench/kernel/compile_time.py).
     */
    static final List<String> PROTOCOL_CODE = List.of("zmq/*.*", "org/zeromq/*.*", "org/dflib/*.*",
            "dev/researchmon/shaded/*.*");
    /** {@link #COMPILER_CODE} and {@link #PROTOCOL_CODE}: what C2 leaves alone. */
    static final List<String> C1_CODE = Stream.concat(COMPILER_CODE.stream(), PROTOCOL_CODE.stream()).toList();
    /** The compiler directives file written beside kernel.json for {@link Jit#TIERED_USER_CODE}. */
    static final String JIT_DIRECTIVES = "jit-directives.json";
    /**
     * {@link #COMPILER_CODE}'s methods are compiled after 1/20 of the usual calls: C2 refused, HotSpot
     * compiles them with C1 only once they reach C2's threshold, and at the normal thresholds javac
     * would run in C1's slower profiling code for hundreds of cells first. Not {@link #PROTOCOL_CODE}'s:
     * compiled that early, it kept C1 busy during the start (first kernel_info reply 20-40 ms and first
     * cell 70-90 ms later) for no gain in later cells.
     */
    static final String COMPILER_CODE_THRESHOLD_SCALE = "0.05";

    /**
     * The JVM options of {@link Jit#TIERED_USER_CODE}, all accepted without a word by Java 17 to 25.
     * {@code -XX:-DisplayVMOutput} keeps HotSpot's "1 compiler directives added" off the kernel's
     * stdout, which Jupyter's tools share (nbconvert --stdout); warnings and crash reports are
     * written elsewhere and still appear.
     */
    static List<String> tieredUserCodeOptions(Path directives) {
        List<String> options = new ArrayList<>(List.of("-XX:+UnlockDiagnosticVMOptions",
                "-XX:-DisplayVMOutput", "-XX:CompilerDirectivesFile=" + directives, "-XX:CompileCommand=quiet"));
        for (String pattern : COMPILER_CODE) {
            options.add("-XX:CompileCommand=CompileThresholdScaling," + pattern + "," + COMPILER_CODE_THRESHOLD_SCALE);
        }
        return options;
    }

    /** HotSpot's compiler directives: no C2 for {@link #C1_CODE}. */
    static String directives() {
        String patterns = C1_CODE.stream().map(p -> "\"" + p + "\"").collect(Collectors.joining(", "));
        return "[\n  {\n    match: [" + patterns + "],\n    c2: { Exclude: true }\n  }\n]\n";
    }

    /** How long the training run that makes the class archive may take (a loaded 2-core machine needs ~20 s). */
    static final Duration ARCHIVE_TRAINING = Duration.ofSeconds(180);

    private final Path java;
    private final Path jar;
    private final Jit jit;
    /** The release of {@link #java} when a class archive is to be made, else 0. */
    private final int archiveForJava;
    private final PrintStream warnings;

    public KernelspecInstaller(Path java, Path jar) {
        this(java, jar, Jit.TIERED_USER_CODE);
    }

    public KernelspecInstaller(Path java, Path jar, Jit jit) {
        this(java, jar, jit, 0, System.err);
    }

    private KernelspecInstaller(Path java, Path jar, Jit jit, int archiveForJava, PrintStream warnings) {
        this.java = java.toAbsolutePath();
        this.jar = jar.toAbsolutePath();
        this.jit = jit;
        this.archiveForJava = archiveForJava;
        this.warnings = warnings;
    }

    /**
     * This installer, also making the kernelspec's class archive ({@link ClassArchive}) by a training
     * run of the kernel on {@code java}, of release {@code javaFeature}. Why it could not be made
     * goes to {@code warnings}; the kernelspec is written all the same.
     */
    public KernelspecInstaller withClassArchive(int javaFeature, PrintStream warnings) {
        return new KernelspecInstaller(java, jar, jit, javaFeature, warnings);
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
            throw new IllegalArgumentException("kernel name '" + name
                    + "' may hold only letters, digits, '.', '_' and '-'");
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("the kernel jar " + jar + " does not exist; build it with mvn package");
        }
        Path dir = kernelsDir.resolve(name);
        if (isForeign(dir)) {
            if (!replace) {
                throw new IllegalArgumentException("a kernelspec '" + name + "' that research-kernel did not write is "
                        + "installed in " + dir + " (" + describe(dir) + "); pass --replace to replace it (its "
                        + "files are removed) or --name to install beside it");
            }
            deleteTree(dir);
        }
        Files.createDirectories(dir);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode spec = json.createObjectNode();
        List<String> jvm = new ArrayList<>();
        jvm.add(java.toString());
        jvm.addAll(JVM_OPTIONS);
        switch (jit) {
            case TIERED_USER_CODE -> {
                Path directives = dir.resolve(JIT_DIRECTIVES).toAbsolutePath();
                Files.writeString(directives, directives());
                jvm.addAll(tieredUserCodeOptions(directives));
            }
            case QUICK -> jvm.add(QUICK_JIT);
            case FULL -> {
                // the JVM's own JIT, as it comes
            }
        }
        ArrayNode argv = spec.putArray("argv");
        jvm.forEach(argv::add);
        if (archiveForJava > 0) {
            classArchiveOptions(dir, jvm).forEach(argv::add);
        }
        argv.add("-jar");
        argv.add(jar.toString());
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
     * Makes the class archive under the kernelspec's JVM options; its options when it was made, or
     * when the JVM makes one itself at the first kernel's exit (Java 19 on), none otherwise.
     */
    private List<String> classArchiveOptions(Path dir, List<String> jvm) {
        Path archive = dir.resolve(ClassArchive.FILE).toAbsolutePath();
        Optional<String> failed = ClassArchive.make(jvm, jar, archive, ARCHIVE_TRAINING);
        failed.ifPresent(why -> warnings.println("research-kernel install: no class archive made, so the kernel "
                + "starts slower" + (archiveForJava >= ClassArchive.AUTO_CREATE_SINCE
                ? " until its first exit makes one" : "") + ": " + why));
        if (failed.isPresent() && archiveForJava < ClassArchive.AUTO_CREATE_SINCE) {
            return List.of();
        }
        return ClassArchive.options(archive, archiveForJava);
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
            JsonNode spec = new ObjectMapper().readTree(dir.resolve("kernel.json").toFile());
            return "\"" + spec.path("display_name").asText("?") + "\", runs " + spec.path("argv").path(0).asText("?");
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
