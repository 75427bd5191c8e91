package dev.researchmon.jupyter;

import dev.researchmon.testkit.containers.PodmanService;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One container of a test, on the host's network (so that what it serves is on this machine's
 * loopback, beside the test's own Prometheus), run as the image's non-root user, removed in
 * {@link #close()}. Commands run detached and are waited for by polling, so that a long one (a
 * conformance suite, a notebook) is bounded by the test's own timeout, not the CLI's.
 *
 * <pre>{@code
 * try (Container c = Container.start(podman, image, Map.of("K", "v"), List.of("/host:/in:ro"), "sleep", "infinity")) {
 *     Container.Exit done = c.exec(Duration.ofMinutes(3), "python3", "-m", "unittest", "-v", "test_x");
 * }
 * }</pre>
 */
final class Container implements AutoCloseable {
    /** How a command in the container ended, and everything it wrote. */
    record Exit(int code, String output) {}

    private final PodmanService podman;
    private final String name;

    private Container(PodmanService podman, String name) {
        this.podman = podman;
        this.name = name;
    }

    /** Starts {@code command} (the image's entrypoint when empty) in a new container. */
    static Container start(
            PodmanService podman, String image, Map<String, String> env, List<String> volumes, String... command)
            throws IOException, InterruptedException {
        String name = "jupyter-it-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> args = new ArrayList<>(List.of("run", "--detach", "--name", name, "--network", "host"));
        env.forEach((k, v) -> args.addAll(List.of("--env", k + "=" + v)));
        volumes.forEach(v -> args.addAll(List.of("--volume", v)));
        args.add(image);
        args.addAll(List.of(command));
        podman.podman(args.toArray(String[]::new));
        return new Container(podman, name);
    }

    /** Runs {@code command} in this (running) container and waits for it, at most {@code timeout}. */
    Exit exec(Duration timeout, String... command) throws IOException, InterruptedException {
        String marker = "exit-" + UUID.randomUUID().toString().substring(0, 8);
        // the command runs in the background of a detached exec; its output and status land in
        // files that are polled, so the podman CLI never waits longer than one short call
        String script = "(" + quoted(command) + ") > /tmp/" + marker + ".log 2>&1; echo $? > /tmp/" + marker + ".rc";
        podman.podman("exec", "--detach", name, "bash", "-c", script);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            PodmanService.Result rc = podman.tryPodman("exec", name, "cat", "/tmp/" + marker + ".rc");
            if (rc.ok() && !rc.output().isBlank()) {
                return new Exit(Integer.parseInt(rc.output().trim()), output(marker));
            }
            Thread.sleep(1000);
        }
        return new Exit(-1, "timed out after " + timeout.toSeconds() + " s\n" + output(marker));
    }

    private String output(String marker) throws IOException, InterruptedException {
        return podman.tryPodman("exec", name, "cat", "/tmp/" + marker + ".log").output();
    }

    /** What the container's own command wrote so far. */
    String logs() throws IOException, InterruptedException {
        return podman.tryPodman("logs", name).output();
    }

    private static String quoted(String... command) {
        StringBuilder s = new StringBuilder();
        for (String word : command) {
            s.append(s.length() == 0 ? "" : " ")
                    .append("'")
                    .append(word.replace("'", "'\\''"))
                    .append("'");
        }
        return s.toString();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        podman.tryPodman("rm", "--force", "--time", "5", name);
    }
}
