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
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts a sidecar when none answers: detached with {@code setsid}, so that it outlives the kernel
 * and serves every notebook of the machine, its output going to {@code sidecar.log} in the state
 * directory.
 *
 * <p>It is started the one way every sidecar of the project is (the research image's entrypoint, the
 * manager): through the launcher {@code bin/metrics-sidecar}, so with its heap and JVM flags, and
 * with {@code --port} and {@code --bind}. The launcher is found beside
 * {@code $RESEARCH_MONITOR_SIDECAR_JAR} when that is set (and runs that jar), else beside the running
 * kernel jar in this repository's layout ({@code kernel/target/../../bin/metrics-sidecar}), else the
 * one an installed kernelspec names (the checkout it was installed from, {@code
 * -Dresearch.monitor.sidecar-launcher}), else as {@code metrics-sidecar} on {@code PATH}.
 *
 * <pre>{@code
 * Started s = new SidecarLauncher(settings, System.getenv(), probe).start(Duration.ofSeconds(20));
 * s.pid(); s.log();
 * }</pre>
 */
public final class SidecarLauncher {

    /** A sidecar this kernel started. */
    public record Started(long pid, Path log, List<String> command) {}

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
        long logStart;
        try {
            createPrivateDir(settings.stateDir());
            // the log is appended to: what this start wrote begins here
            logStart = Files.isRegularFile(log) ? Files.size(log) : 0;
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            // The sidecar writes its token where this kernel (and every other) will look for it.
            pb.environment().put(MonitoringSettings.HOME, settings.stateDir().toString());
            // the launcher runs this jar instead of the one of its own checkout
            settings.sidecarJar()
                    .ifPresent(jar -> pb.environment()
                            .put(
                                    MonitoringSettings.SIDECAR_JAR,
                                    jar.toAbsolutePath().toString()));
            process = pb.start();
        } catch (IOException e) {
            throw new MagicException(
                    "Could not start the sidecar (" + String.join(" ", command) + "): " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            if (probe.answers(url)) {
                return new Started(process.pid(), log, command);
            }
            if (!process.isAlive()) {
                throw new MagicException(whyItExited(lastLine(log, logStart), url) + "The sidecar started with `"
                        + String.join(" ", command) + "` exited with status " + process.exitValue() + "; see " + log
                        + ".");
            }
            sleep(200);
        }
        throw new MagicException("The sidecar started (pid " + process.pid() + ") but did not answer at " + url
                + " within " + wait.toSeconds() + " s; see " + log + ".");
    }

    /**
     * The cause, first, where the sidecar's last line names one the user can act on: a port that
     * another program holds is the usual one (a sidecar holding it would have answered the probe).
     */
    static String whyItExited(Optional<String> lastLine, URI url) {
        if (lastLine.isEmpty()) {
            return "";
        }
        String line = lastLine.get().replaceFirst("^metrics-sidecar:\\s*", "");
        if (line.contains("Address already in use")) {
            return "The sidecar could not listen at " + url + ": " + line + ". Another program holds port "
                    + url.getPort() + "; stop it, or set " + MonitoringSettings.SIDECAR_URL
                    + " to a free port of 127.0.0.1 before starting the kernel. ";
        }
        return "The sidecar could not start: " + line + ". ";
    }

    /** The last non-blank line written to {@code log} from byte {@code from} on, if any. */
    static Optional<String> lastLine(Path log, long from) {
        try {
            byte[] all = Files.readAllBytes(log);
            int start = (int) Math.min(Math.max(0, from), all.length);
            List<String> lines = new String(all, start, all.length - start, java.nio.charset.StandardCharsets.UTF_8)
                    .lines()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty())
                    .toList();
            return lines.isEmpty() ? Optional.empty() : Optional.of(lines.get(lines.size() - 1));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The command line that starts a sidecar on {@code port}, bound to loopback. */
    List<String> command(int port) throws MagicException {
        Optional<Path> jar = settings.sidecarJar();
        if (jar.isPresent() && !Files.isRegularFile(jar.get())) {
            throw new MagicException(
                    "The sidecar jar " + jar.get() + " (from " + MonitoringSettings.SIDECAR_JAR + ") does not exist.");
        }
        Path launcher = jar.flatMap(SidecarLauncher::launcherOfCheckout)
                .or(this::launcherBesideKernel)
                .or(SidecarLauncher::launcherOfInstall)
                .or(() -> onPath("metrics-sidecar"))
                .orElseThrow(() -> new MagicException("No sidecar answers at " + settings.sidecarUrl()
                        + " and none could be started: bin/metrics-sidecar was found neither beside "
                        + MonitoringSettings.SIDECAR_JAR + " (a checkout's sidecar/target/metrics-sidecar.jar)"
                        + " nor beside the kernel, and metrics-sidecar is not on PATH."));
        return List.of("setsid", launcher.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1");
    }

    /**
     * The checkout's launcher beside one of its built jars: {@code <checkout>/MODULE/target/X.jar}
     * (the sidecar's, or the kernel's) -> {@code <checkout>/bin/metrics-sidecar}, if it is there.
     */
    public static Optional<Path> launcherOfCheckout(Path builtJar) {
        Path candidate = builtJar.toAbsolutePath()
                .getParent()
                .resolve("../../bin/metrics-sidecar")
                .normalize();
        return Files.isExecutable(candidate) ? Optional.of(candidate) : Optional.empty();
    }

    private Optional<Path> launcherBesideKernel() {
        try {
            var source = SidecarLauncher.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return Optional.empty();
            }
            Path self = Path.of(source.getLocation().toURI());
            if (!Files.isRegularFile(self)) {
                return Optional.empty(); // classes folder (tests, IDE): not the repository's kernel jar
            }
            return launcherOfCheckout(self);
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** The checkout's launcher that {@code research-kernel install} recorded in the kernelspec. */
    private static Optional<Path> launcherOfInstall() {
        String recorded = System.getProperty(MonitoringSettings.SIDECAR_LAUNCHER_PROPERTY);
        if (recorded == null || recorded.isBlank()) {
            return Optional.empty();
        }
        Path launcher = Path.of(recorded);
        return Files.isExecutable(launcher) ? Optional.of(launcher) : Optional.empty();
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
