package dev.researchmon.kernel.install;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

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

    /** Writes the kernelspec; returns its folder. */
    public Path install(Path kernelsDir, String name) throws IOException {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("kernel name '" + name
                    + "' may hold only letters, digits, '.', '_' and '-'");
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("the kernel jar " + jar + " does not exist; build it with mvn package");
        }
        Path dir = kernelsDir.resolve(name);
        Files.createDirectories(dir);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode spec = json.createObjectNode();
        ArrayNode argv = spec.putArray("argv");
        argv.add(java.toString());
        JVM_OPTIONS.forEach(argv::add);
        if (quickJit) {
            argv.add(QUICK_JIT);
        }
        argv.add("-jar");
        argv.add(jar.toString());
        argv.add("{connection_file}");
        spec.put("display_name", DISPLAY_NAME);
        spec.put("language", "java");
        spec.put("interrupt_mode", "message");
        spec.putObject("env");
        spec.putObject("metadata").put("debugger", false);
        Files.writeString(dir.resolve("kernel.json"), json.writeValueAsString(spec) + "\n");
        return dir;
    }
}
