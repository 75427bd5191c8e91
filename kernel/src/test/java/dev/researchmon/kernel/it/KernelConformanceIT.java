package dev.researchmon.kernel.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Jupyter's own conformance suite (Debian's python3-jupyter-kernel-test) against this kernel,
 * installed with each JDK of {@link KernelHarness#jdks()}.
 */
class KernelConformanceIT {

    static List<KernelHarness.Jdk> jdks() {
        return KernelHarness.jdks();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void conformanceSuite_passesEveryTestThatAppliesToJava(KernelHarness.Jdk jdk) throws Exception {
        Path dataDir = Files.createTempDirectory("jupyter-data");
        try {
            KernelHarness.installKernelspec(dataDir, jdk);
            KernelHarness.Suite suite = KernelHarness.pythonSuite(dataDir, "test_conformance", Map.of(), 300);
            assertEquals(0, suite.run().exitCode(), suite.run().output());
            JsonNode outcomes = suite.outcomes();
            assertTrue(outcomes.size() >= 12, suite.run().output());
            outcomes.fields()
                    .forEachRemaining(t -> assertEquals(
                            "ok",
                            t.getValue().path("outcome").asText(),
                            "some conformance test was skipped or failed: " + t.getKey() + "\n"
                                    + suite.run().output()));
            for (String test : new String[] {
                "test_history",
                "test_display_data",
                "test_execute_result",
                "test_inspect",
                "test_is_complete",
                "test_completion",
                "test_error",
                "test_kernel_info",
                "test_clear_output",
                "test_pager"
            }) {
                suite.assertPassed("JavaKernelConformance." + test);
            }
        } finally {
            KernelHarness.deleteTree(dataDir);
        }
    }
}
