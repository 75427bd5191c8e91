package dev.researchmon.kernel.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernel driven by jupyter_client (src/test/python/test_client_behaviour.py), one Python test
 * per Java test so that a failure names the behaviour.
 */
class JupyterClientIT {
    private static Path dataDir;
    private static Path work;
    private static Path jar;

    @BeforeAll
    static void install() throws Exception {
        dataDir = Files.createTempDirectory("jupyter-data");
        KernelHarness.installKernelspec(dataDir);
        work = Files.createTempDirectory("kernel-jar");
        jar = greeterJar(work);
    }

    @AfterAll
    static void clean() throws Exception {
        KernelHarness.deleteTree(dataDir);
        KernelHarness.deleteTree(work);
    }

    /** A jar the kernel has never seen, for %classpath: testlib.Greeter, compiled here with javac. */
    private static Path greeterJar(Path dir) throws Exception {
        Path src = dir.resolve("testlib/Greeter.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, "package testlib; public class Greeter { "
                + "public String greet() { return \"hello from a jar\"; } }");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, "-d", dir.resolve("classes").toString(), src.toString()));
        Path out = dir.resolve("greeter.jar");
        try (JarOutputStream jos = new JarOutputStream(Files.newOutputStream(out))) {
            jos.putNextEntry(new JarEntry("testlib/Greeter.class"));
            jos.write(Files.readAllBytes(dir.resolve("classes/testlib/Greeter.class")));
            jos.closeEntry();
        }
        return out;
    }

    private static void passes(String pythonTest) throws Exception {
        KernelHarness.Result r = KernelHarness.python(dataDir, "test_client_behaviour." + pythonTest,
                Map.of("RESEARCH_TEST_JAR", jar.toString()), 120);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("Ran 1 test"), r.output());
        assertTrue(!r.output().contains("skipped"), r.output());
    }

    @Test
    void interrupt_stopsTightLoop_cpuGoesQuiet_nextCellSeesEarlierDefinitions() throws Exception {
        passes("InterruptTest.test_interrupt_stopsTightLoop_cpuQuiet_andDefinitionsKept");
    }

    @Test
    void restart_givesAFreshKernel_andTheOldProcessEnds() throws Exception {
        passes("RestartTest.test_restart_givesAFreshKernel_andShutdownEndsTheProcess");
    }

    @Test
    void systemExit_isRefusedWithClearError_andKernelLives() throws Exception {
        passes("ExitTest.test_systemExit_isRefusedWithClearError_kernelStaysUsable");
    }

    @Test
    void usageRequest_onControl_getsUsageReply() throws Exception {
        passes("UsageTest.test_usageRequest_getsUsageReplyInIpykernelShape");
    }

    @Test
    void stdout_isStreamedWhileTheCellRuns() throws Exception {
        passes("StreamingTest.test_stdout_isStreamedWhileCellRuns");
    }

    @Test
    void systemIn_asksTheNotebookForALine() throws Exception {
        passes("StreamingTest.test_systemIn_asksTheNotebookForALine");
    }

    @Test
    void systemIn_withoutAllowStdin_readsEndOfFile() throws Exception {
        passes("StreamingTest.test_systemIn_withoutAllowStdin_readsEndOfFile");
    }

    @Test
    void runtimeError_showsUserFramesOnly() throws Exception {
        passes("StreamingTest.test_runtimeError_showsUserFramesNotKernels");
    }

    @Test
    void compileError_showsMessageAndOffendingPart() throws Exception {
        passes("StreamingTest.test_compileError_showsMessageAndOffendingPart");
    }

    @Test
    void unknownMagic_givesUsageError() throws Exception {
        passes("StreamingTest.test_unknownMagic_givesUsageErrorNotStackTrace");
    }

    @Test
    void classpathMagic_addsAJarToTheRunningKernel() throws Exception {
        passes("StreamingTest.test_classpathMagic_addsJarToRunningKernel");
    }

    @Test
    void cellsShareTheKernelsPrometheusRegistry() throws Exception {
        passes("StreamingTest.test_prometheusRegistry_inCell_isTheKernelsOwn");
    }

    @Test
    void kernelExits_whenTheClientThatStartedItIsKilled() throws Exception {
        passes("ParentGoneTest.test_starterKilled_kernelExitsWithinSeconds_evenWithACellRunning");
    }
}
