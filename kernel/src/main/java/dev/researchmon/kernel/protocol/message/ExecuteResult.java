package dev.researchmon.kernel.protocol.message;

import java.util.Map;

/** {@code execute_result} on iopub: the cell's value as a MIME bundle. */
public record ExecuteResult(int executionCount, Map<String, String> data, Map<String, Object> metadata) {}
