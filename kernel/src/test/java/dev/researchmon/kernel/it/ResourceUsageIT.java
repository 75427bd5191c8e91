package dev.researchmon.kernel.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kernel's {@code usage_reply} against what JupyterLab's Kernel Usage panel (the
 * jupyter-resource-usage extension, not packaged in Debian) reads, asked the way its server handler
 * asks, and against ipykernel's reply on the same host (src/test/python/test_resource_usage.py).
 * The reply is made from the JDK's management beans and /proc alike on every JDK, so it runs on
 * the build's JDK only.
 */
class ResourceUsageIT {
    private static Path dataDir;
    private static KernelHarness.Suite suite;

    @BeforeAll
    static void run() throws Exception {
        dataDir = Files.createTempDirectory("jupyter-data");
        KernelHarness.installKernelspec(dataDir);
        suite = KernelHarness.pythonSuite(dataDir, "test_resource_usage", Map.of(), 300);
    }

    @AfterAll
    static void clean() throws Exception {
        KernelHarness.deleteTree(dataDir);
    }

    @Test
    void usageReply_toAFreshClientOfTheServersSession_carriesEverythingTheUsagePanelShows() {
        suite.assertPassed("ResourceUsageTest.test_reply_carriesEverythingThePanelShows_asNumbersWhereItShowsNumbers");
    }

    @Test
    void usageReply_hasEveryFieldOfIpykernelsReply_ofTheSameType() {
        suite.assertPassed("ResourceUsageTest.test_reply_hasEveryFieldOfIpykernelsReply_ofTheSameJsonType");
    }

    @Test
    void usageReply_describesTheKernelProcessAndTheHost() {
        suite.assertPassed("ResourceUsageTest.test_values_describeThisKernelProcessAndThisHost");
    }

    @Test
    void usageReply_kernelCpu_isThePercentOfOneCpuUsedSinceTheLastRequest() {
        suite.assertPassed("ResourceUsageTest.test_kernelCpu_isThePercentOfOneCpuTheKernelUsedSinceTheLastRequest");
    }
}
