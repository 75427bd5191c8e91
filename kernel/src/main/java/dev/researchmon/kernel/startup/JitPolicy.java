package dev.researchmon.kernel.startup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Which JIT the kernel's JVM runs, as JVM options and a compiler directives file in the kernelspec
 * folder. See docs/performance.md for the figures behind the default.
 *
 * <pre>{@code
 * List<String> options = JitPolicy.TIERED_USER_CODE.writeInto(kernelspecDir);   // writes jit-directives.json
 * }</pre>
 */
public enum JitPolicy {
    /**
     * The default: the JVM's tiered JIT for the user's code (C2 for cells' hot loops and the JDK's
     * collections, the kernel's stop check), while javac, JShell and the protocol's libraries stay
     * in C1 code, javac's reached early. JShell compiles every cell with javac, whose code otherwise
     * keeps C2 busy for hundreds of cells and runs slower meanwhile; a trivial cell then costs as
     * much as with C1 only, and hot loops run as fast as with the JVM's default JIT.
     */
    TIERED_USER_CODE,
    /** C1 only ({@code --quick-jit}): javac as quick as above, hot loops in cells about 1.7x slower. */
    QUICK,
    /** The JVM's JIT as it comes ({@code --full-jit}), C2 for javac too, which it spends hundreds of cells compiling. */
    FULL;

    /** Beside kernel.json, for {@link #TIERED_USER_CODE}. */
    public static final String DIRECTIVES_FILE = "jit-directives.json";

    /**
     * Code that C2 leaves alone in {@link #TIERED_USER_CODE}: javac and its tree API, JShell, and the
     * JDK's image and jar file systems that javac reads classes through. Cells' classes
     * ({@code REPL.*}), the rest of the JDK and the kernel get C2 as usual; the kernel must, since
     * HotSpot does not inline a method it refused to compile with C2, and every loop in a cell calls
     * the kernel's stop check. Class patterns as HotSpot's compiler directives write them.
     */
    public static final List<String> COMPILER_CODE = List.of(
            "com/sun/tools/javac/*.*",
            "com/sun/source/*.*",
            "jdk/jshell/*.*",
            "jdk/internal/jimage/*.*",
            "jdk/internal/jrtfs/*.*",
            "jdk/nio/zipfs/*.*");
    /**
     * The libraries under the Jupyter protocol, left to C1 as {@link #COMPILER_CODE} is: ZeroMQ
     * (jeromq), the connection file's HMAC (jjava) and the kernel's Jackson, relocated so that a
     * cell's own Jackson is not matched. Their hot paths are small, so C1 serves them about as well
     * as C2 does, but a third of C2's compile time over a session's first 220 cells went to them.
     */
    public static final List<String> PROTOCOL_CODE =
            List.of("zmq/*.*", "org/zeromq/*.*", "org/dflib/*.*", "dev/researchmon/shaded/*.*");
    /** {@link #COMPILER_CODE} and {@link #PROTOCOL_CODE}: what C2 leaves alone. */
    public static final List<String> C1_CODE =
            Stream.concat(COMPILER_CODE.stream(), PROTOCOL_CODE.stream()).toList();
    /**
     * {@link #COMPILER_CODE}'s methods are compiled after 1/20 of the usual calls: C2 refused, HotSpot
     * compiles them with C1 only once they reach C2's threshold, and at the normal thresholds javac
     * would run in C1's slower profiling code for hundreds of cells first. Not {@link #PROTOCOL_CODE}'s:
     * compiled that early, it kept C1 busy during the start for no gain in later cells.
     */
    static final String COMPILER_CODE_THRESHOLD_SCALE = "0.05";
    /**
     * C2's thresholds in {@link #TIERED_USER_CODE}, ten times HotSpot's (5,000 calls, 600 with loops,
     * 15,000 calls and loops, 40,000 loop iterations). Most of what reaches C2's usual thresholds
     * while the kernel starts and answers its first cell is JDK code that is hot only then: compiling
     * it kept both cores busy before the first answer and for seconds after it. A loop in a cell
     * crosses the raised thresholds within milliseconds, and then runs as fast as before
     * ({@code bench/kernel/hotloop.py}); measured on 2 cores, 5 starts, the first answer came ~0.15 s
     * sooner with ~0.3 CPU-s less by then and half the CPU in the idle after it (docs/performance.md).
     */
    static final List<String> C2_THRESHOLDS = List.of(
            "-XX:Tier4InvocationThreshold=50000",
            "-XX:Tier4MinInvocationThreshold=6000",
            "-XX:Tier4CompileThreshold=150000",
            "-XX:Tier4BackEdgeThreshold=400000");

    /**
     * Writes what this policy needs into kernelspec folder {@code dir} (the directives file, for
     * {@link #TIERED_USER_CODE}) and returns its JVM options, which name it there.
     */
    public List<String> writeInto(Path dir) throws IOException {
        if (this != TIERED_USER_CODE) {
            return options(null);
        }
        Path directives = dir.resolve(DIRECTIVES_FILE).toAbsolutePath();
        Files.writeString(directives, directives());
        return options(directives);
    }

    /**
     * This policy's JVM options, all accepted without a word by Java 17 to 25. {@code -XX:-DisplayVMOutput}
     * keeps HotSpot's "1 compiler directives added" off the kernel's stdout, which Jupyter's tools
     * share (nbconvert --stdout); warnings and crash reports are written elsewhere and still appear.
     *
     * @param directives where {@link #directives()} is written, for {@link #TIERED_USER_CODE}
     */
    List<String> options(Path directives) {
        return switch (this) {
            case QUICK -> List.of("-XX:TieredStopAtLevel=1");
            case FULL -> List.of();
            case TIERED_USER_CODE -> {
                List<String> options = new ArrayList<>(List.of(
                        "-XX:+UnlockDiagnosticVMOptions",
                        "-XX:-DisplayVMOutput",
                        "-XX:CompilerDirectivesFile=" + directives,
                        "-XX:CompileCommand=quiet"));
                for (String pattern : COMPILER_CODE) {
                    options.add("-XX:CompileCommand=CompileThresholdScaling," + pattern + ","
                            + COMPILER_CODE_THRESHOLD_SCALE);
                }
                options.addAll(C2_THRESHOLDS);
                yield options;
            }
        };
    }

    /** HotSpot's compiler directives: no C2 for {@link #C1_CODE}. */
    public static String directives() {
        String patterns = C1_CODE.stream().map(p -> "\"" + p + "\"").collect(Collectors.joining(", "));
        return "[\n  {\n    match: [" + patterns + "],\n    c2: { Exclude: true }\n  }\n]\n";
    }
}
