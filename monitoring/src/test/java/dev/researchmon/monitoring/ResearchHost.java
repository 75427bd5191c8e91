package dev.researchmon.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.researchmon.testkit.FreePort;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One research host as a user runs it: {@code bin/environment-manager --enable-monitoring --runtime
 * local --host NAME --remote-write URL}, with its own state folder and free loopback ports, so that
 * two of them run side by side on this machine. {@link #close()} stops it with {@code --no-monitoring}
 * and then, by pid, whatever a failure left behind.
 *
 * <pre>{@code
 * try (ResearchHost a = ResearchHost.start("gpu-a", work, List.of("--remote-write", url, "--scrape-interval", "1s"))) {
 *     a.prometheus().result("up");
 * }
 * }</pre>
 */
final class ResearchHost implements AutoCloseable {
    static final List<String> PARTS = List.of("prometheus", "alertmanager", "node-exporter", "jupyter", "sidecar");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final Path state;
    private final List<String> portArgs;
    private final int prometheusPort;

    private ResearchHost(String name, Path state, List<String> portArgs, int prometheusPort) {
        this.name = name;
        this.state = state;
        this.portArgs = portArgs;
        this.prometheusPort = prometheusPort;
    }

    /** Brings the host's stack up with {@code options} (remote write, scrape interval...); waits until healthy. */
    static ResearchHost start(String name, Path work, List<String> options) throws IOException, InterruptedException {
        List<String> portArgs = new ArrayList<>();
        int prometheusPort = 0;
        for (String part : PARTS) {
            int port = FreePort.loopback();
            portArgs.addAll(List.of("--" + part + "-port", String.valueOf(port)));
            prometheusPort = part.equals("prometheus") ? port : prometheusPort;
        }
        ResearchHost host =
                new ResearchHost(name, Files.createDirectories(work.resolve(name)), portArgs, prometheusPort);
        List<String> args = new ArrayList<>(List.of("--enable-monitoring", "--host", name));
        args.addAll(options);
        String output = host.manager(args);
        if (!output.contains("monitoring is on")) {
            host.close();
            throw new IllegalStateException(name + " did not come up:\n" + output + host.logs());
        }
        return host;
    }

    String name() {
        return name;
    }

    Path state() {
        return state;
    }

    /** The host's own Prometheus, which keeps everything it ships. */
    QueryApi prometheus() {
        return new QueryApi(URI.create("http://127.0.0.1:" + prometheusPort));
    }

    /** Runs the manager against this host's state folder and ports; returns what it printed. */
    String manager(List<String> args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(portArgs);
        all.addAll(args);
        return runManager(state, all);
    }

    /** {@code bin/environment-manager --runtime local --state-dir STATE ARGS}; what it printed. */
    static String runManager(Path state, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                MonitoringFiles.repoRoot().resolve("bin/environment-manager").toString(),
                "--runtime",
                "local",
                "--state-dir",
                state.toString(),
                "--timeout",
                "150"));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // each host its own sidecar token and kernel state, as on two machines
        builder.environment().put("RESEARCH_MONITOR_HOME", state.resolve("home").toString());
        Process process = builder.start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(200, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return String.join(" ", args) + "\n" + new String(out, StandardCharsets.UTF_8);
    }

    /** The last lines of each part's log, for a failure message. */
    String logs() {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> logs = Files.list(state.resolve("logs"))) {
            for (Path log : logs.sorted().toList()) {
                List<String> lines = Files.readAllLines(log);
                all.append("--- ")
                        .append(name)
                        .append(' ')
                        .append(log.getFileName())
                        .append('\n')
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 8), lines.size())))
                        .append('\n');
            }
        } catch (IOException e) {
            all.append("(no logs: ").append(e.getMessage()).append(")\n");
        }
        return all.toString();
    }

    /** The pid of a part the manager started, from its pid record. */
    long pid(String part) throws IOException {
        return JSON.readTree(state.resolve("run/" + part + ".json").toFile())
                .path("pid")
                .asLong();
    }

    /** Stops the host's stack the way a user does. */
    void stop() throws IOException, InterruptedException {
        manager(List.of("--no-monitoring"));
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (IOException | InterruptedException e) {
            // the pid records below still end what runs
        }
        try (Stream<Path> records = Files.list(state.resolve("run"))) {
            for (Path record : records.toList()) {
                JsonNode pid = JSON.readTree(record.toFile()).path("pid");
                ProcessHandle.of(pid.asLong()).ifPresent(p -> {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                });
            }
        } catch (IOException e) {
            // nothing was recorded: nothing runs
        }
    }

    @Override
    public String toString() {
        return name + " (" + state + ")";
    }
}
