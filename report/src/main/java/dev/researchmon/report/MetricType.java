package dev.researchmon.report;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The kind of a reported family; written in lower case on the wire ({@code "counter"}). */
public enum MetricType {
    @JsonProperty("counter")
    COUNTER,
    @JsonProperty("gauge")
    GAUGE,
    @JsonProperty("histogram")
    HISTOGRAM,
    @JsonProperty("summary")
    SUMMARY,
    @JsonProperty("info")
    INFO,
    @JsonProperty("unknown")
    UNKNOWN
}
