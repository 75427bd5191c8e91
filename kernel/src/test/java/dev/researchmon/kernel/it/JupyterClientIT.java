package dev.researchmon.kernel.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kernel driven by jupyter_client (src/test/python/test_client_behaviour.py), installed with each
 * JDK of {@link KernelHarness#jdks()}. The Python module runs once per JDK; each Java test checks one
 * of its tests, so that a failure names the behaviour and the JDK.
 */
class JupyterClientIT {
    private static final Map<KernelHarness.Jdk, KernelHarness.Suite> RUNS = new ConcurrentHashMap<>();
    private static final Map<KernelHarness.Jdk, Path> DATA_DIRS = new ConcurrentHashMap<>();
    private static Path work;
    private static Path jar;

    static List<KernelHarness.Jdk> jdks() {
        return KernelHarness.jdks();
    }

    @BeforeAll
    static void compileJar() throws Exception {
        work = Files.createTempDirectory("kernel-jar");
        jar = greeterJar(work);
    }

    @AfterAll
    static void clean() throws Exception {
        for (Path dir : DATA_DIRS.values()) {
            KernelHarness.deleteTree(dir);
        }
        KernelHarness.deleteTree(work);
    }

    /** A jar the kernel has never seen, for %classpath: testlib.Greeter, compiled here with javac. */
    private static Path greeterJar(Path dir) throws Exception {
        Path src = dir.resolve("testlib/Greeter.java");
        Files.createDirectories(src.getParent());
        Files.writeString(
                src,
                "package testlib; public class Greeter { "
                        + "public String greet() { return \"hello from a jar\"; } }");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        // class files for the oldest JDK the kernel runs on, so every JDK's kernel can load them
        assertEquals(
                0,
                javac.run(
                        null,
                        null,
                        null,
                        "--release",
                        "17",
                        "-d",
                        dir.resolve("classes").toString(),
                        src.toString()));
        Path out = dir.resolve("greeter.jar");
        try (JarOutputStream jos = new JarOutputStream(Files.newOutputStream(out))) {
            jos.putNextEntry(new JarEntry("testlib/Greeter.class"));
            jos.write(Files.readAllBytes(dir.resolve("classes/testlib/Greeter.class")));
            jos.closeEntry();
        }
        return out;
    }

    private static void passes(KernelHarness.Jdk jdk, String pythonTest) {
        RUNS.computeIfAbsent(jdk, JupyterClientIT::runSuite).assertPassed(pythonTest);
    }

    private static KernelHarness.Suite runSuite(KernelHarness.Jdk jdk) {
        try {
            Path dataDir = Files.createTempDirectory("jupyter-data");
            DATA_DIRS.put(jdk, dataDir);
            KernelHarness.installKernelspec(dataDir, jdk);
            return KernelHarness.pythonSuite(
                    dataDir, "test_client_behaviour", Map.of("RESEARCH_TEST_JAR", jar.toString()), 600);
        } catch (Exception e) {
            throw new IllegalStateException("running the client suite on " + jdk + " failed", e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void interrupt_stopsTightLoop_cpuGoesQuiet_nextCellSeesEarlierDefinitions(KernelHarness.Jdk jdk) {
        passes(jdk, "InterruptTest.test_interrupt_stopsTightLoop_cpuQuiet_andDefinitionsKept");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void interruptInTheKernelsFirstMinute_leavesTheWholeProcessQuietAfterLittleWork(KernelHarness.Jdk jdk) {
        passes(
                jdk,
                "FreshKernelInterruptTest.test_interruptInTheFirstMinute_leavesTheWholeProcessQuietAfterLittleWork");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void startAndCell_printNoWarningOnStderr(KernelHarness.Jdk jdk) {
        passes(jdk, "StartupTest.test_startAndCell_printNoWarningOnStderr");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void interruptWhenIdle_stopsAThreadACellLeftSpinning(KernelHarness.Jdk jdk) {
        passes(jdk, "LeftoverThreadTest.test_interruptWhenIdle_stopsAThreadACellLeftSpinning");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void outOfMemory_isAnError_andTheKernelStaysUsable(KernelHarness.Jdk jdk) {
        passes(jdk, "OutOfMemoryTest.test_outOfMemory_inACell_isAnError_andTheKernelStaysUsable");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void restart_givesAFreshKernel_andTheOldProcessEnds(KernelHarness.Jdk jdk) {
        passes(jdk, "RestartTest.test_restart_givesAFreshKernel_andShutdownEndsTheProcess");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void systemExit_isRefusedWithClearError_andKernelLives(KernelHarness.Jdk jdk) {
        passes(jdk, "ExitTest.test_systemExit_isRefusedWithClearError_kernelStaysUsable");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void usageRequest_onControl_getsUsageReply(KernelHarness.Jdk jdk) {
        passes(jdk, "UsageTest.test_usageRequest_getsUsageReplyInIpykernelShape");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void stdout_isStreamedWhileTheCellRuns(KernelHarness.Jdk jdk) {
        passes(jdk, "StreamingTest.test_stdout_isStreamedWhileCellRuns");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void systemIn_asksTheNotebookForALine(KernelHarness.Jdk jdk) {
        passes(jdk, "StreamingTest.test_systemIn_asksTheNotebookForALine");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void systemIn_withoutAllowStdin_readsEndOfFile(KernelHarness.Jdk jdk) {
        passes(jdk, "StreamingTest.test_systemIn_withoutAllowStdin_readsEndOfFile");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void runtimeError_showsUserFramesOnly(KernelHarness.Jdk jdk) {
        passes(jdk, "StreamingTest.test_runtimeError_showsUserFramesNotKernels");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void compileError_showsMessageAndOffendingPart(KernelHarness.Jdk jdk) {
        passes(jdk, "StreamingTest.test_compileError_showsMessageAndOffendingPart");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void unknownMagic_givesUsageError(KernelHarness.Jdk jdk) {
        passes(jdk, "StreamingTest.test_unknownMagic_givesUsageErrorNotStackTrace");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void classpathMagic_addsAJarToTheRunningKernel(KernelHarness.Jdk jdk) {
        passes(jdk, "StreamingTest.test_classpathMagic_addsJarToRunningKernel");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void cellsShareTheKernelsPrometheusRegistry(KernelHarness.Jdk jdk) {
        passes(jdk, "StreamingTest.test_prometheusRegistry_inCell_isTheKernelsOwn");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void kernelExits_whenTheClientThatStartedItIsKilled(KernelHarness.Jdk jdk) {
        passes(jdk, "ParentGoneTest.test_starterKilled_kernelExitsWithinSeconds_evenWithACellRunning");
    }
}
