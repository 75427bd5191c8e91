package dev.researchmon.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdksTest {
    @Test
    void discover_findsOneJdkPerSupportedRelease_preferringTheRunningOne_andSkipsJresAndOthers(@TempDir Path jvm)
            throws Exception {
        Path running = fakeJdk(jvm.resolve("zz-running-17"), "17.0.9", true);
        fakeJdk(jvm.resolve("java-17-openjdk-amd64"), "17.0.15", true);
        fakeJdk(jvm.resolve("temurin-25-jdk-amd64"), "25.0.3", true);
        fakeJdk(jvm.resolve("jre-21"), "21.0.1", false);
        fakeJdk(jvm.resolve("java-11"), "11.0.2", true);
        fakeJdk(jvm.resolve("java-8"), "1.8.0_392", true);
        Files.createDirectories(jvm.resolve("openjdk-17")); // Debian's folder of docs and links, no JDK

        List<Jdks.Jdk> found = Jdks.discover(jvm, running);

        assertEquals(List.of(new Jdks.Jdk(17, running), new Jdks.Jdk(25, jvm.resolve("temurin-25-jdk-amd64"))), found);
    }

    @Test
    void feature_readsTheReleaseFile_withoutStartingAJvm(@TempDir Path dir) throws Exception {
        assertEquals(21, Jdks.feature(fakeJdk(dir.resolve("a"), "21", true)).orElseThrow());
        assertEquals(25, Jdks.feature(fakeJdk(dir.resolve("b"), "25-ea", true)).orElseThrow());
        assertEquals(
                8, Jdks.feature(fakeJdk(dir.resolve("c"), "1.8.0_392", true)).orElseThrow());
        assertTrue(Jdks.feature(dir.resolve("none")).isEmpty());
    }

    @Test
    void onHost_includesTheJdkRunningTheTests() {
        int running = Runtime.version().feature();
        if (Jdks.SUPPORTED.contains(running)
                && System.getProperty(Jdks.PROPERTY, "").isBlank()) {
            assertTrue(Jdks.onHost(running).isPresent(), Jdks.onHost().toString());
        }
    }

    private static Path fakeJdk(Path home, String version, boolean withJavac) throws Exception {
        Files.createDirectories(home.resolve("bin"));
        for (String tool : withJavac ? List.of("java", "javac") : List.of("java")) {
            Path p = Files.writeString(home.resolve("bin").resolve(tool), "#!/bin/sh\n");
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version + "\"\n");
        return home;
    }
}
