package dev.researchmon.kernel.protocol.message;

/** {@code execute_input} on iopub: the code being run and its count. */
public record ExecuteInput(String code, int executionCount) {}
