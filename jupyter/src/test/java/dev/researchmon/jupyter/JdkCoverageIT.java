package dev.researchmon.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.researchmon.testkit.Jdks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every Java release the kernel supports (17, 21, 25) is tested on every run, whatever JDKs this
 * machine has. The kernel module's ITs run on the host's JDKs (testkit's {@link Jdks}: {@code
 * /usr/lib/jvm}, or {@code -Dkernel.it.jdks}); what the host lacks runs here, in the research
 * container on Debian trixie: Java 21 through {@link Java21KernelIT}, Java 25 as the image's own
 * kernel through {@link TodaysJupyterIT}'s suites and as the image's sidecar. This class checks that
 * the container really has those JDKs where those tests use them, and that a release neither place
 * has fails the run with what to install.
 */
@ExtendWith(SharedResearchContainer.class)
class JdkCoverageIT {
    /** What the research container runs each release with, and which test does it. */
    static final Map<Integer, String> IN_CONTAINER = Map.of(
            21,
            "Java21KernelIT (a kernelspec installed with " + Java21KernelIT.JAVA_21 + ")",
            25,
            "TodaysJupyterIT (the image's own kernelspec, java, on OpenJDK 25) and the image's sidecar");

    static ResearchContainer research;

    @BeforeAll
    static void start(ResearchContainer shared) {
        research = shared;
    }

    @Test
    void everySupportedRelease_runsOnTheHostOrInTheResearchContainer() {
        List<String> uncovered = new ArrayList<>();
        for (int feature : Jdks.missingOnHost()) {
            if (!IN_CONTAINER.containsKey(feature)) {
                uncovered.add("Java " + feature);
            }
        }
        System.out.printf("JDKs: on the host %s; in the research container %s%n", Jdks.onHost(), IN_CONTAINER.keySet());
        assertTrue(
                uncovered.isEmpty(),
                uncovered + " runs neither on this host nor in the research container:"
                        + " install it (Debian: openjdk-17-jdk-headless, as bin/setup does) or name its home in -D"
                        + Jdks.PROPERTY + "=HOME,HOME");
    }

    @Test
    void theImagesKernel_runsOnJava25_andJava21IsThereForJava21KernelIT() throws Exception {
        Container.Exit spec = research.shell(
                Duration.ofMinutes(1),
                "java=$(python3 -c \"import json,sys,jupyter_client.kernelspec as k;"
                        + " print(k.KernelSpecManager().get_kernel_spec('java').argv[0])\") && $java -version 2>&1");
        assertEquals(0, spec.code(), spec.output());
        assertTrue(spec.output().contains("version \"25"), "the image's java kernelspec: " + spec.output());
        Container.Exit java21 = research.exec(Duration.ofMinutes(1), Java21KernelIT.JAVA_21 + "/bin/java", "-version");
        assertTrue(java21.output().contains("version \"21"), java21.output());
    }

    /**
     * The sidecar's jar grants JNA native access: on Java 25 the JVM prints no "restricted method"
     * warning. The sidecar module checks it with the host's Java 25 where there is one (NativeAccessIT);
     * here it is the image's sidecar, on trixie's OpenJDK 25, on every run.
     */
    @Test
    void theImagesSidecar_onJava25_printsNoNativeAccessWarning() throws Exception {
        String logs = research.logs();
        assertFalse(logs.contains("restricted method"), logs);
        assertFalse(logs.contains("enable-native-access"), logs);
        Container.Exit version = research.exec(Duration.ofMinutes(1), "java", "-version");
        assertTrue(version.output().contains("version \"25"), "the image's default java: " + version.output());
    }
}
