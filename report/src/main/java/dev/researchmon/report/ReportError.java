package dev.researchmon.report;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The JSON body of every 4xx answer of the report endpoint: {@code {"error": "reason"}}. */
public record ReportError(@JsonProperty("error") String error) {}
