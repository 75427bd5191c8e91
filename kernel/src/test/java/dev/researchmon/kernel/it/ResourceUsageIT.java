package dev.researchmon.kernel.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernel's {@code usage_reply} against what JupyterLab's Kernel Usage panel (the
 * jupyter-resource-usage extension, not packaged in Debian) reads, asked the way its server handler
 * asks, and against ipykernel's reply on the same host (src/test/python/test_resource_usage.py).
 */
class ResourceUsageIT {
    private static Path dataDir;

    @BeforeAll
    static void install() throws Exception {
        dataDir = Files.createTempDirectory("jupyter-data");
        KernelHarness.installKernelspec(dataDir);
    }

    @AfterAll
    static void clean() throws Exception {
        KernelHarness.deleteTree(dataDir);
    }

    private static void passes(String pythonTest) throws Exception {
        KernelHarness.Result r = KernelHarness.python(dataDir, "test_resource_usage.ResourceUsageTest." + pythonTest,
                Map.of(), 120);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("Ran 1 test"), r.output());
        assertTrue(!r.output().contains("skipped"), r.output());
    }

    @Test
    void usageReply_toAFreshClientOfTheServer_carriesEverythingTheUsagePanelShows() throws Exception {
        passes("test_reply_carriesEverythingThePanelShows_asNumbersWhereItShowsNumbers");
    }

    @Test
    void usageReply_hasEveryFieldOfIpykernelsReply_ofTheSameType() throws Exception {
        passes("test_reply_hasEveryFieldOfIpykernelsReply_ofTheSameJsonType");
    }

    @Test
    void usageReply_describesTheKernelProcessAndTheHost() throws Exception {
        passes("test_values_describeThisKernelProcessAndThisHost");
    }

    @Test
    void usageReply_kernelCpu_isThePercentOfOneCpuUsedSinceTheLastRequest() throws Exception {
        passes("test_kernelCpu_isThePercentOfOneCpuTheKernelUsedSinceTheLastRequest");
    }
}
