package dev.researchmon.kernel.protocol.message;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code clear_output} on iopub; {@code wait}: clear when the next output comes. */
public record ClearOutput(@JsonProperty("wait") boolean waitForNext) {}
