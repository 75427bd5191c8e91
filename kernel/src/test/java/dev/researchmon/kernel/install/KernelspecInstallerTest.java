package dev.researchmon.kernel.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelspecInstallerTest {

    @Test
    void userDir_honoursJupyterDataDir() {
        assertEquals(Path.of("/data/jd/kernels"), KernelspecInstaller.userKernelsDir(Map.of("JUPYTER_DATA_DIR", "/data/jd")));
        assertEquals(Path.of("/p/share/jupyter/kernels"), KernelspecInstaller.prefixKernelsDir(Path.of("/p")));
    }

    @Test
    void install_writesAbsoluteArgv_messageInterrupts_andDefaultNameJava(@TempDir Path dir) throws Exception {
        Path jar = Files.createFile(dir.resolve("research-kernel.jar"));
        Path spec = new KernelspecInstaller(Path.of("/usr/bin/java"), jar).install(dir.resolve("kernels"),
                KernelspecInstaller.DEFAULT_NAME);
        assertEquals(dir.resolve("kernels/java"), spec);
        JsonNode json = new ObjectMapper().readTree(spec.resolve("kernel.json").toFile());
        JsonNode argv = json.path("argv");
        assertEquals("/usr/bin/java", argv.get(0).asText());
        assertEquals(jar.toAbsolutePath().toString(), argv.get(argv.size() - 2).asText());
        assertEquals("{connection_file}", argv.get(argv.size() - 1).asText());
        // Java 24+ refuses a security manager flag: the argv must hold none
        assertTrue(!argv.toString().contains("java.security.manager"), argv.toString());
        assertEquals("message", json.path("interrupt_mode").asText());
        assertEquals("java", json.path("language").asText());
        assertTrue(json.path("display_name").asText().contains("Java"));
    }

    @Test
    void quickJit_isTheDefault_fullJitLeavesItOut(@TempDir Path dir) throws Exception {
        Path jar = Files.createFile(dir.resolve("k.jar"));
        Path quick = new KernelspecInstaller(Path.of("/usr/bin/java"), jar).install(dir, "quick");
        Path full = new KernelspecInstaller(Path.of("/usr/bin/java"), jar, false).install(dir, "full");
        assertTrue(Files.readString(quick.resolve("kernel.json")).contains(KernelspecInstaller.QUICK_JIT));
        assertTrue(!Files.readString(full.resolve("kernel.json")).contains("TieredStopAtLevel"));
    }

    @Test
    void badName_isRefused(@TempDir Path dir) throws Exception {
        Path jar = Files.createFile(dir.resolve("k.jar"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new KernelspecInstaller(Path.of("/usr/bin/java"), jar).install(dir, "no/slashes"));
        assertTrue(e.getMessage().contains("may hold only"));
    }

    @Test
    void missingJar_isRefused(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new KernelspecInstaller(Path.of("/usr/bin/java"), dir.resolve("none.jar")).install(dir, "java"));
        assertTrue(e.getMessage().contains("mvn package"));
    }
}
