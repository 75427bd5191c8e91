package dev.researchmon.report;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The sidecar's answer to an accepted report: how many series it kept, how many it dropped, and
 * why, by reason, with a few of the dropped families' names, so that a kernel can tell its user
 * which of the notebook's metrics never reach Prometheus.
 *
 * <pre>{@code
 * ReportAck ack = client.report(report);
 * for (ReportAck.Drop d : ack.drops()) log(d.series() + " dropped (" + d.reason() + "): " + d.examples());
 * }</pre>
 *
 * @param drops one entry per reason ({@code reserved_name}, {@code series_per_kernel}, ...); empty
 *              when nothing was dropped or the sidecar predates it
 */
public record ReportAck(
        @JsonProperty("accepted") int accepted,
        @JsonProperty("dropped") int dropped,
        @JsonProperty("drops") List<Drop> drops) {

    /** At most this many example names per reason travel back: enough to find the metric. */
    public static final int MAX_EXAMPLES = 3;

    @JsonCreator
    public ReportAck {
        drops = drops == null ? List.of() : List.copyOf(drops);
    }

    /** An answer without reasons. */
    public ReportAck(int accepted, int dropped) {
        this(accepted, dropped, List.of());
    }

    /**
     * Series dropped for one reason.
     *
     * @param reason   the sidecar's drop reason, as in {@code sidecar_report_series_dropped_total{reason}}
     * @param series   how many series of this report it dropped for it
     * @param examples up to {@link #MAX_EXAMPLES} names of the families concerned, where there is one
     */
    public record Drop(
            @JsonProperty("reason") String reason,
            @JsonProperty("series") int series,
            @JsonProperty("examples") List<String> examples) {
        @JsonCreator
        public Drop {
            examples = examples == null ? List.of() : List.copyOf(examples);
        }
    }
}
