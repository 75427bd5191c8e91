package dev.researchmon.magics.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.researchmon.magics.MonitoringSettings;
import dev.researchmon.magics.api.MagicException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code %monitoring on} starts a sidecar the one way the project does: its launcher, same flags. */
class SidecarLauncherTest {
    @TempDir
    Path tmp;

    private SidecarLauncher launcher(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of(
                "RESEARCH_MONITOR_HOME",
                tmp.resolve("state").toString(),
                "PATH",
                tmp.resolve("empty-path").toString()));
        env.putAll(extra);
        return new SidecarLauncher(
                MonitoringSettings.fromEnvironment(env), env, new SidecarProbe(java.time.Duration.ofSeconds(1)));
    }

    private static Path executable(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    @Test
    void sidecarJarOfACheckout_isRunThroughThatCheckoutsLauncher() throws Exception {
        Path jar = tmp.resolve("checkout/sidecar/target/metrics-sidecar.jar");
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "");
        Path launcherScript = executable(tmp.resolve("checkout/bin/metrics-sidecar"));
        assertEquals(
                List.of("setsid", launcherScript.toString(), "--port", "9464", "--bind", "127.0.0.1"),
                launcher(Map.of(MonitoringSettings.SIDECAR_JAR, jar.toString())).command(9464));
    }

    @Test
    void withoutAJar_theLauncherOnPathIsRun_withTheSameFlags() throws Exception {
        Path onPath = executable(tmp.resolve("bin-dir/metrics-sidecar"));
        assertEquals(
                List.of("setsid", onPath.toString(), "--port", "19464", "--bind", "127.0.0.1"),
                launcher(Map.of("PATH", onPath.getParent().toString())).command(19464));
    }

    @Test
    void noLauncherAnywhere_isOneSentenceSayingWhereItWasLookedFor() {
        MagicException e =
                assertThrows(MagicException.class, () -> launcher(Map.of()).command(9464));
        assertTrue(
                e.getMessage()
                        .contains("bin/metrics-sidecar was found neither beside " + MonitoringSettings.SIDECAR_JAR),
                e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }
    /**
     * Another program holds the sidecar's port: the sidecar's last line says so, and the magic's
     * message leads with it and what to do, instead of only an exit status and a log to read.
     */
    @Test
    void aPortAnotherProgramHolds_isNamedAsTheCause_fromTheSidecarsLastLine() throws Exception {
        Path state = tmp.resolve("state");
        Files.createDirectories(state);
        Files.writeString(state.resolve("sidecar.log"), "metrics-sidecar: an earlier run's last words\n");
        Path script = tmp.resolve("bin-dir/metrics-sidecar");
        Files.createDirectories(script.getParent());
        Files.writeString(script, "#!/bin/sh\necho 'metrics-sidecar: Address already in use'\nexit 1\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        MagicException e = assertThrows(
                MagicException.class,
                () -> launcher(Map.of(
                                "PATH",
                                script.getParent().toString(),
                                MonitoringSettings.SIDECAR_URL,
                                "http://127.0.0.1:" + port))
                        .start(java.time.Duration.ofSeconds(20)));
        assertTrue(
                e.getMessage()
                        .startsWith("The sidecar could not listen at http://127.0.0.1:" + port
                                + ": Address already in use. Another program holds port " + port),
                e.getMessage());
        assertTrue(e.getMessage().contains(MonitoringSettings.SIDECAR_URL), e.getMessage());
        assertTrue(e.getMessage().contains("exited with status 1"), e.getMessage());
    }

    @Test
    void lastLine_isTheLastThisStartWrote_notAnEarlierRunsLine(@TempDir Path dir) throws Exception {
        Path log = Files.writeString(dir.resolve("sidecar.log"), "old: Address already in use\n");
        long from = Files.size(log);
        assertTrue(SidecarLauncher.lastLine(log, from).isEmpty());
        Files.writeString(
                log,
                "starting\nmetrics-sidecar: --port: 70000 is not a port\n\n",
                java.nio.file.StandardOpenOption.APPEND);
        assertEquals(
                "metrics-sidecar: --port: 70000 is not a port",
                SidecarLauncher.lastLine(log, from).orElseThrow());
        assertEquals(
                "The sidecar could not start: --port: 70000 is not a port. ",
                SidecarLauncher.whyItExited(
                        SidecarLauncher.lastLine(log, from), java.net.URI.create("http://127.0.0.1:9464")));
    }
}
