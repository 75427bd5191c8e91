package dev.researchmon.sidecar;

import java.util.List;

/**
 * The sidecar's collectors, one per source, in the order a scrape runs them. This list is the one
 * place a collector is named: its {@code collector} label on {@code sidecar_collector_success} and
 * its {@code --no-collector.<name>} switch are both made from it.
 *
 * <pre>{@code
 * for (SourceCollector c : SourceCollector.values()) cli.addOption("--no-collector." + c.label());
 * }</pre>
 */
public enum SourceCollector {
    GPU("gpu", "Do not read GPUs."),
    NOTEBOOK("notebook", "Do not accept kernel reports (the report endpoint answers 404)."),
    JVM("jvm", "Do not expose the sidecar's JVM and process metrics.");

    private final String label;
    private final String offDescription;

    SourceCollector(String label, String offDescription) {
        this.label = label;
        this.offDescription = offDescription;
    }

    /** The {@code collector} label value and the {@code X} of {@code --no-collector.X}. */
    public String label() {
        return label;
    }

    /** The switch that turns it off: {@code --no-collector.gpu}. */
    public String offSwitch() {
        return "--no-collector." + label;
    }

    public String offDescription() {
        return offDescription;
    }

    public static List<SourceCollector> all() {
        return List.of(values());
    }
}
