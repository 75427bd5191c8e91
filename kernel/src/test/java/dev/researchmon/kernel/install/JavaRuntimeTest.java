package dev.researchmon.kernel.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaRuntimeTest {

    @Test
    void feature_readsModernAndLegacyVersionStrings() {
        assertEquals(17, JavaRuntime.feature("openjdk version \"17.0.15\" 2025-04-15"));
        assertEquals(25, JavaRuntime.feature("openjdk version \"25\" 2025-09-16 LTS"));
        assertEquals(21, JavaRuntime.feature("openjdk version \"21.0.4\" 2024-07-16"));
        assertEquals(8, JavaRuntime.feature("java version \"1.8.0_402\""));
        assertEquals(-1, JavaRuntime.feature("no version here"));
    }

    @Test
    void probe_ofTheRunningJdk_byLauncherOrFolder_givesItsRelease() {
        Path home = Path.of(System.getProperty("java.home"));
        assertEquals(
                Runtime.version().feature(),
                JavaRuntime.probe(home.resolve("bin/java")).feature());
        assertEquals(
                home.resolve("bin/java").toAbsolutePath(),
                JavaRuntime.probe(home).launcher());
    }

    @Test
    void probe_ofAMissingLauncher_isRefusedClearly(@TempDir Path dir) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> JavaRuntime.probe(dir.resolve("nowhere/java")));
        assertTrue(e.getMessage().contains("no java launcher there"), e.getMessage());
    }

    @Test
    void probe_ofAnOldJava_isRefusedNamingTheVersion(@TempDir Path dir) throws Exception {
        Path old = dir.resolve("java");
        Files.writeString(old, "#!/bin/sh\necho 'java version \"1.8.0_402\"' >&2\n");
        Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rwxr-xr-x"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JavaRuntime.probe(old));
        assertTrue(e.getMessage().contains("is Java 8; the kernel needs Java 17"), e.getMessage());
    }

    @Test
    void probe_ofALauncherThatFails_isRefusedWithItsOutput(@TempDir Path dir) throws Exception {
        Path broken = dir.resolve("java");
        Files.writeString(broken, "#!/bin/sh\necho 'Error: broken install' >&2\nexit 1\n");
        Files.setPosixFilePermissions(broken, PosixFilePermissions.fromString("rwxr-xr-x"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JavaRuntime.probe(broken));
        assertTrue(e.getMessage().contains("broken install"), e.getMessage());
    }
}
