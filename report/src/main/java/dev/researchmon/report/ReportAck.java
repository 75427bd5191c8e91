package dev.researchmon.report;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The sidecar's answer to an accepted report: how many series it kept and how many it dropped
 * (over a bound, or invalid). A kernel can show {@code dropped > 0} to its user.
 *
 * <pre>{@code
 * ReportAck ack = client.report(report);
 * if (ack.dropped() > 0) log("sidecar dropped " + ack.dropped() + " series");
 * }</pre>
 */
public record ReportAck(@JsonProperty("accepted") int accepted, @JsonProperty("dropped") int dropped) {}
