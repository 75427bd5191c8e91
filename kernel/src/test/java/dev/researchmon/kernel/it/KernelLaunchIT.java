package dev.researchmon.kernel.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The launcher's answers to bad input: a clear message and exit status 2, no stack trace. */
class KernelLaunchIT {
    private static final String LAUNCHER =
            KernelHarness.REPO.resolve("bin/research-kernel").toString();

    @Test
    void badConnectionFile_exitsWithClearError() throws Exception {
        Path bad = Files.createTempFile("kernel-bad", ".json");
        try {
            Files.writeString(bad, "{\"ip\": \"127.0.0.1\"");
            KernelHarness.Result r =
                    KernelHarness.run(List.of(LAUNCHER, bad.toString()), KernelHarness.MODULE, Map.of(), 60);
            assertEquals(2, r.exitCode(), r.output());
            assertTrue(r.output().contains("is not valid JSON"), r.output());
            assertTrue(!r.output().contains("\tat "), r.output());
        } finally {
            Files.deleteIfExists(bad);
        }
    }

    @Test
    void connectionFileWithoutPorts_exitsWithClearError() throws Exception {
        Path bad = Files.createTempFile("kernel-noports", ".json");
        try {
            Files.writeString(bad, "{\"ip\": \"127.0.0.1\", \"transport\": \"tcp\", \"key\": \"k\"}");
            KernelHarness.Result r =
                    KernelHarness.run(List.of(LAUNCHER, bad.toString()), KernelHarness.MODULE, Map.of(), 60);
            assertEquals(2, r.exitCode(), r.output());
            assertTrue(r.output().contains("lacks one of shell_port"), r.output());
        } finally {
            Files.deleteIfExists(bad);
        }
    }

    @Test
    void missingConnectionFile_exitsWithClearError() throws Exception {
        KernelHarness.Result r =
                KernelHarness.run(List.of(LAUNCHER, "/nonexistent/kernel-x.json"), KernelHarness.MODULE, Map.of(), 60);
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains("cannot read the connection file"), r.output());
    }

    @Test
    void installWithBadName_isRefused() throws Exception {
        Path data = Files.createTempDirectory("jupyter-data");
        try {
            KernelHarness.Result r = KernelHarness.run(
                    List.of(LAUNCHER, "install", "--name", "bad name!"),
                    KernelHarness.MODULE,
                    Map.of("JUPYTER_DATA_DIR", data.toString()),
                    60);
            assertEquals(2, r.exitCode(), r.output());
            assertTrue(r.output().contains("may hold only letters"), r.output());
        } finally {
            KernelHarness.deleteTree(data);
        }
    }

    @Test
    void installWithUserAndPrefix_isRefusedAsExclusive() throws Exception {
        KernelHarness.Result r = KernelHarness.run(
                List.of(LAUNCHER, "install", "--user", "--prefix", "/tmp/x"), KernelHarness.MODULE, Map.of(), 60);
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains("mutually exclusive"), r.output());
    }
}
