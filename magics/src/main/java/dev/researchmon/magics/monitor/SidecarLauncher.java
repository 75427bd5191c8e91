package dev.researchmon.magics.monitor;

import dev.researchmon.magics.MonitoringSettings;
import dev.researchmon.magics.api.MagicException;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts a sidecar when none answers: detached with {@code setsid}, so that it outlives the kernel
 * and serves every notebook of the machine, its output going to {@code sidecar.log} in the state
 * directory.
 *
 * <p>The sidecar is found as {@code $RESEARCH_MONITOR_SIDECAR_JAR}, else next to the running kernel
 * jar in this repository's layout ({@code kernel/target/../../sidecar/target/metrics-sidecar.jar}),
 * else {@code metrics-sidecar} on {@code PATH}.
 *
 * <pre>{@code
 * Started s = new SidecarLauncher(settings, System.getenv(), probe).start(Duration.ofSeconds(20));
 * s.pid(); s.log();
 * }</pre>
 */
public final class SidecarLauncher {

    /** A sidecar this kernel started. */
    public record Started(long pid, Path log, List<String> command) {
    }

    private final MonitoringSettings settings;
    private final Map<String, String> env;
    private final SidecarProbe probe;

    public SidecarLauncher(MonitoringSettings settings, Map<String, String> env, SidecarProbe probe) {
        this.settings = settings;
        this.env = env;
        this.probe = probe;
    }

    /** Starts the sidecar and waits until it answers {@code /-/healthy}. */
    public Started start(Duration wait) throws MagicException {
        URI url = settings.sidecarUrl();
        if (!isLoopback(url.getHost())) {
            throw new MagicException("No sidecar answers at " + url + ", and that is not this machine, so"
                    + " none was started; start one there or point " + MonitoringSettings.SIDECAR_URL
                    + " at a running one.");
        }
        List<String> command = command(url.getPort() > 0 ? url.getPort() : 80);
        Path log = settings.stateDir().resolve("sidecar.log");
        Process process;
        try {
            createPrivateDir(settings.stateDir());
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            // The sidecar writes its token where this kernel (and every other) will look for it.
            pb.environment().put(MonitoringSettings.HOME, settings.stateDir().toString());
            process = pb.start();
        } catch (IOException e) {
            throw new MagicException("Could not start the sidecar (" + String.join(" ", command) + "): "
                    + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            if (probe.answers(url)) {
                return new Started(process.pid(), log, command);
            }
            if (!process.isAlive()) {
                throw new MagicException("The sidecar started with `" + String.join(" ", command)
                        + "` exited with status " + process.exitValue() + "; see " + log + ".");
            }
            sleep(200);
        }
        throw new MagicException("The sidecar started (pid " + process.pid() + ") but did not answer at "
                + url + " within " + wait.toSeconds() + " s; see " + log + ".");
    }

    /** The command line that starts a sidecar on {@code port}, bound to loopback. */
    List<String> command(int port) throws MagicException {
        List<String> cmd = new ArrayList<>(List.of("setsid"));
        Optional<Path> jar = settings.sidecarJar().or(this::jarBesideKernel);
        if (jar.isPresent()) {
            if (!Files.isRegularFile(jar.get())) {
                throw new MagicException("The sidecar jar " + jar.get() + " (from "
                        + MonitoringSettings.SIDECAR_JAR + ") does not exist.");
            }
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("-jar");
            cmd.add(jar.get().toString());
        } else {
            Path launcher = onPath("metrics-sidecar").orElseThrow(() -> new MagicException(
                    "No sidecar answers at " + settings.sidecarUrl() + " and none could be started: set "
                            + MonitoringSettings.SIDECAR_JAR + " or put metrics-sidecar on PATH."));
            cmd.add(launcher.toString());
        }
        cmd.addAll(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1"));
        return cmd;
    }

    private Optional<Path> jarBesideKernel() {
        try {
            var source = SidecarLauncher.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return Optional.empty();
            }
            Path self = Path.of(source.getLocation().toURI());
            if (!Files.isRegularFile(self)) {
                return Optional.empty(); // classes folder (tests, IDE): not the repository's kernel jar
            }
            // kernel/target/research-kernel.jar -> <repo>/sidecar/target/metrics-sidecar.jar
            Path candidate = self.getParent().resolve("../../sidecar/target/metrics-sidecar.jar").normalize();
            return Files.isRegularFile(candidate) ? Optional.of(candidate) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private Optional<Path> onPath(String name) {
        for (String dir : env.getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    private static void createPrivateDir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            try {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException notPosix) {
                // The token inside is what needs protecting; the sidecar sets its own mode.
            }
        }
    }

    static boolean isLoopback(String host) {
        try {
            return host != null && InetAddress.getByName(host).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep(long millis) throws MagicException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MagicException("Interrupted while waiting for the sidecar to start.");
        }
    }
}
