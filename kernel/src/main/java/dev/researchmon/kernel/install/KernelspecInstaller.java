package dev.researchmon.kernel.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
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
    /**
     * C1 only, the default. JShell compiles every cell with javac, whose code keeps the optimising
     * compiler (C2) busy for hundreds of cells; without it a trivial cell round-trips about twice as
     * fast on a small machine (BENCHMARKS.md), while hot loops in cells run about twice as slow.
     * {@code --full-jit} installs a kernelspec without it, for compute-heavy notebooks.
     */
    static final String QUICK_JIT = "-XX:TieredStopAtLevel=1";
    /**
     * With the optimising JIT: javac compiled by C2 in the background after start, on throw-away
     * cells that yield to the user's, instead of during the user's first few hundred cells.
     */
    static final String WARM_COMPILER = "-Dresearch.kernel.warmup=400";

    private final Path java;
    private final Path jar;
    private final boolean quickJit;

    public KernelspecInstaller(Path java, Path jar) {
        this(java, jar, true);
    }

    /** @param quickJit quicker cells, slower hot loops (see {@link #QUICK_JIT}) */
    public KernelspecInstaller(Path java, Path jar, boolean quickJit) {
        this.java = java.toAbsolutePath();
        this.jar = jar.toAbsolutePath();
        this.quickJit = quickJit;
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
        ArrayNode argv = spec.putArray("argv");
        argv.add(java.toString());
        JVM_OPTIONS.forEach(argv::add);
        argv.add(quickJit ? QUICK_JIT : WARM_COMPILER);
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

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
