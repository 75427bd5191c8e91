package dev.researchmon.kernel.protocol.message;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** {@code display_data} on iopub. */
public record DisplayData(
        Map<String, String> data,
        Map<String, Object> metadata,
        @JsonProperty("transient") Map<String, Object> transientData) {}
