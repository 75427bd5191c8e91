package dev.researchmon.kernel.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Jupyter's own conformance suite (Debian's python3-jupyter-kernel-test) against this kernel. */
class KernelConformanceIT {
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

    @Test
    void conformanceSuite_passesEveryTestThatAppliesToJava() throws Exception {
        KernelHarness.Result r = KernelHarness.python(dataDir, "test_conformance", Map.of(), 240);
        assertEquals(0, r.exitCode(), r.output());
        Matcher ran = Pattern.compile("Ran (\\d+) tests").matcher(r.output());
        assertTrue(ran.find(), r.output());
        assertTrue(Integer.parseInt(ran.group(1)) >= 12, r.output());
        assertTrue(r.output().contains("\nOK\n"), "some conformance test was skipped or failed\n" + r.output());
        for (String test : new String[]{"test_history", "test_display_data", "test_execute_result", "test_inspect",
                "test_is_complete", "test_completion", "test_error", "test_kernel_info", "test_clear_output", "test_pager"}) {
            assertTrue(Pattern.compile(test + " .*\\.\\.\\. ok").matcher(r.output()).find(), test + "\n" + r.output());
        }
    }
}
