package dev.researchmon.kernel.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An installed kernel is its kernelspec folder alone: installed from a checkout whose
 * {@code kernel/target} is then removed (as {@code mvn clean} does), it still starts through
 * jupyter_client, runs cells, and its JVM takes its options from the folder's own options file.
 */
class InstalledKernelIT {
    /** Prints what the running kernel's JVM was started with, and where its classes come from. */
    private static final String CLIENT = """
            import sys
            from jupyter_client.manager import start_new_kernel
            km, kc = start_new_kernel(kernel_name=sys.argv[1], startup_timeout=60)
            try:
                code = ('String.join("\\\\n", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments())'
                        ' + "\\\\nclasspath=" + System.getProperty("java.class.path") + "\\\\nanswer=" + (40 + 2)')
                out = []
                reply = kc.execute_interactive(code, timeout=60, output_hook=lambda m: out.append(m))
                assert reply["content"]["status"] == "ok", reply["content"]
                print([m for m in out if m["msg_type"] == "execute_result"][0]["content"]["data"]["text/plain"])
            finally:
                kc.stop_channels()
                km.shutdown_kernel(now=True)
            """;

    static List<KernelHarness.Jdk> jdks() {
        return KernelHarness.jdks();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void kernelInstalledFromACheckout_runsAfterItsTargetIsRemoved_withTheOptionsOfItsOwnFolder(
            KernelHarness.Jdk jdk, @TempDir Path tmp) throws Exception {
        Path target = Files.createDirectories(tmp.resolve("checkout/kernel/target"));
        Path jar = Files.copy(
                KernelHarness.MODULE.resolve("target/research-kernel.jar"), target.resolve("research-kernel.jar"));
        Path data = tmp.resolve("jupyter-data");
        KernelHarness.Result installed = KernelHarness.run(
                List.of(
                        jdk.home().resolve("bin/java").toString(),
                        "-jar",
                        jar.toString(),
                        "install",
                        "--name",
                        "java-installed"),
                KernelHarness.MODULE,
                Map.of("JUPYTER_DATA_DIR", data.toString()),
                240);
        assertEquals(0, installed.exitCode(), installed.output());
        KernelHarness.deleteTree(target); // mvn clean
        Path spec = data.resolve("kernels/java-installed");

        Path client = Files.writeString(tmp.resolve("client.py"), CLIENT);
        KernelHarness.Result run = KernelHarness.run(
                List.of("/usr/bin/python3", client.toString(), "java-installed"),
                KernelHarness.MODULE,
                Map.of("JUPYTER_DATA_DIR", data.toString()),
                120);

        assertEquals(0, run.exitCode(), run.output());
        String out = run.output();
        assertTrue(out.contains("answer=42"), out);
        assertTrue(out.contains("classpath=" + spec.resolve("research-kernel.jar")), "the folder's own jar: " + out);
        // the options the JVM got are the options file's, line for line
        for (String option : Files.readAllLines(spec.resolve("jvm.options"))) {
            if (!option.isBlank() && !option.startsWith("#")) {
                assertTrue(out.lines().anyMatch(option::equals), option + " missing from the JVM's options:\n" + out);
            }
        }
        assertTrue(out.contains("-XX:CompilerDirectivesFile=" + spec.resolve("jit-directives.json")), out);
    }
}
