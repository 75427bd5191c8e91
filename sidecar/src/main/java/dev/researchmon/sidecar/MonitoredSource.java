package dev.researchmon.sidecar;

/**
 * A collector that reads what another thread gathers (the GPU refresher's snapshot) and so can be
 * stale although its call succeeds; {@link CollectorRunner} asks it whether it is fresh and how long
 * that other thread's read took.
 *
 * <pre>{@code
 * runner.addMonitored(SourceCollector.GPU, gpu);
 * }</pre>
 */
public interface MonitoredSource {
    /** The {@code collector} label value, as in {@link SourceCollector#label()}. */
    String collectorName();

    CollectorOutcome lastOutcome();
}
