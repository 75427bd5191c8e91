package dev.researchmon.monitoring;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the configuration under test lives: the {@code monitoring/} folder, passed by the pom as
 * the system property {@code monitoring.dir} (so a test run from an IDE in another working
 * directory still finds it).
 *
 * <pre>{@code
 * Path rules = MonitoringFiles.prometheus().resolve("rules/alerts.yml");
 * }</pre>
 */
final class MonitoringFiles {
    private MonitoringFiles() {}

    static Path root() {
        String configured = System.getProperty("monitoring.dir");
        Path root = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        if (!Files.isRegularFile(root.resolve("prometheus/prometheus.yml"))) {
            throw new IllegalStateException("monitoring folder not found at " + root
                    + " (set -Dmonitoring.dir to the folder holding prometheus/prometheus.yml)");
        }
        return root.toAbsolutePath().normalize();
    }

    static Path prometheus() {
        return root().resolve("prometheus");
    }

    static Path grafana() {
        return root().resolve("grafana");
    }

    /** The repository root, one level above {@code monitoring/}. */
    static Path repoRoot() {
        return root().getParent();
    }
}
