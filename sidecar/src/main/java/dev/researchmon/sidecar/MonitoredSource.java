package dev.researchmon.sidecar;

/**
 * A source of metrics whose health the sidecar reports, like node_exporter's
 * {@code node_scrape_collector_success}.
 *
 * <pre>{@code
 * new CollectorHealth(List.of(gpuCollector, notebookCollector)); // registered last
 * }</pre>
 */
public interface MonitoredSource {
  /** The {@code collector} label value, also the {@code --no-collector.<name>} switch. */
  String collectorName();

  CollectorOutcome lastOutcome();
}
