package dev.researchmon.manager.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The metrics sidecar through bin/metrics-sidecar. Optional here: a checkout where only part of the
 * build is done still brings the rest of the stack up.
 */
final class SidecarPart implements LocalPart {
    @Override
    public String name() {
        return "sidecar";
    }

    @Override
    public List<Path> needs(LocalContext context) {
        return List.of(jar(context));
    }

    @Override
    public Optional<String> whyNotRunnable(LocalContext context) {
        return Files.exists(jar(context))
                ? Optional.empty()
                : Optional.of("not built: " + jar(context) + " is missing; run bin/setup");
    }

    @Override
    public List<String> command(LocalContext context, int port) {
        return List.of(
                context.repoRoot().resolve("bin/metrics-sidecar").toString(),
                "--port",
                String.valueOf(port),
                "--bind",
                "127.0.0.1");
    }

    /** A project sidecar already on the port (its /-/healthy names it and its pid), started by a kernel, say. */
    @Override
    public OptionalLong runningOutside(int port) {
        return ProjectSidecar.pidOn(port);
    }

    private static Path jar(LocalContext context) {
        return context.repoRoot().resolve("sidecar/target/metrics-sidecar.jar");
    }
}
