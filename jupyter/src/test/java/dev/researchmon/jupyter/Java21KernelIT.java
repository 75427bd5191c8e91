package dev.researchmon.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The kernel on Java 21, the LTS between the build's 17 and the research image's 25: a kernelspec
 * installed inside the research container by {@code bin/research-kernel install} with JAVA_HOME
 * set to trixie's OpenJDK 21, as a user who brings that JDK would, then Jupyter's conformance suite
 * and the kernel's jupyter_client checks (interrupt with the CPU check, exit, out of memory,
 * restart, stdin, no warnings on stderr) against it, on jupyter_client 8. The kernel module runs
 * the same Python checks against 17 and 25 on the host.
 */
@ExtendWith(SharedResearchContainer.class)
class Java21KernelIT {
    static final String JAVA_21 = "/usr/lib/jvm/java-21-openjdk-amd64";
    static final String KERNEL_NAME = "java21";
    /** The suites' kernel: the one installed here, not the image's own (Java 25). */
    static final String USE_IT = "export RESEARCH_KERNEL_NAME=" + KERNEL_NAME;

    static ResearchContainer research;

    @BeforeAll
    static void installKernelspecWithJava21(ResearchContainer shared) throws Exception {
        research = shared;
        Container.Exit install = research.shell(
                Duration.ofMinutes(4),
                "JAVA_HOME=" + JAVA_21 + " /opt/research-monitor/bin/research-kernel install --name " + KERNEL_NAME);
        assertEquals(0, install.code(), install.output());
        Container.Exit spec = research.shell(
                Duration.ofMinutes(1), "cat \"$(jupyter --data-dir)/kernels/" + KERNEL_NAME + "/kernel.json\"");
        assertEquals(0, spec.code(), spec.output());
        assertTrue(
                spec.output().contains("\"" + JAVA_21 + "/bin/java\""),
                "the kernelspec runs Java 21: " + spec.output());
        Container.Exit version = research.exec(Duration.ofMinutes(1), JAVA_21 + "/bin/java", "-version");
        assertTrue(version.output().contains("version \"21"), version.output());
    }

    @Test
    void conformanceSuite07_passesEveryTest_onJava21() throws Exception {
        research.pythonSuite("test_conformance", USE_IT, Duration.ofMinutes(5)).assertEveryTestPassed(12);
    }

    @Test
    void jupyterClient8_interruptExitOutOfMemoryRestartAndStdin_onJava21() throws Exception {
        String setup = USE_IT + " && " + ResearchContainer.testJarSetup();
        research.pythonSuite("test_client_behaviour", setup, Duration.ofMinutes(8))
                .assertEveryTestPassed(17);
    }
}
