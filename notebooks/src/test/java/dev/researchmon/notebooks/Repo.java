package dev.researchmon.notebooks;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths in this repository, from the {@code repo.root} property the pom sets. */
final class Repo {
    private Repo() {}

    static Path root() {
        return Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    }

    static Path kernelJar() {
        return built(root().resolve("kernel/target/research-kernel.jar"));
    }

    static Path sidecarJar() {
        return built(root().resolve("sidecar/target/metrics-sidecar.jar"));
    }

    static Path notebook(String name) {
        return root().resolve("notebooks").resolve(name);
    }

    private static Path built(Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: the ITs run the built jars (mvn -B package)");
        }
        return jar;
    }
}
