package dev.researchmon.sidecar;

import dev.researchmon.sidecar.notebook.DropReason;
import dev.researchmon.sidecar.notebook.DropRecorder;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The sidecar's own counters about the report endpoint. Registered at start-up, so a bad name
 * fails fast; every label value is pre-initialised so the series exist from the first scrape.
 *
 * <pre>{@code
 * SidecarMetrics metrics = SidecarMetrics.register(registry);
 * metrics.request(RequestOutcome.ACCEPTED);
 * }</pre>
 */
public final class SidecarMetrics implements DropRecorder {
    /** The {@code outcome} label of {@code sidecar_report_requests_total}. */
    public enum RequestOutcome {
        ACCEPTED,
        FORGOTTEN,
        MALFORMED,
        UNAUTHORIZED,
        FORBIDDEN,
        TOO_LARGE,
        UNSUPPORTED_MEDIA_TYPE,
        NOT_FOUND,
        METHOD_NOT_ALLOWED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Counter requests;
    private final Counter dropped;

    private SidecarMetrics(Counter requests, Counter dropped) {
        this.requests = requests;
        this.dropped = dropped;
    }

    public static SidecarMetrics register(PrometheusRegistry registry) {
        Counter requests = Counter.builder()
                .name("sidecar_report_requests_total")
                .help("Requests to the kernel report endpoint, by outcome.")
                .labelNames("outcome")
                .register(registry);
        Counter dropped = Counter.builder()
                .name("sidecar_report_series_dropped_total")
                .help("Reported series not kept because they were over a bound or invalid, by reason.")
                .labelNames("reason")
                .register(registry);
        for (RequestOutcome o : RequestOutcome.values()) {
            requests.initLabelValues(o.label());
        }
        for (DropReason r : DropReason.values()) {
            dropped.initLabelValues(r.label());
        }
        return new SidecarMetrics(requests, dropped);
    }

    public void request(RequestOutcome outcome) {
        requests.labelValues(outcome.label()).inc();
    }

    @Override
    public void dropped(DropReason reason, int series) {
        if (series > 0) {
            dropped.labelValues(reason.label()).inc(series);
        }
    }
}
