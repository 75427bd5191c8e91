package dev.researchmon.kernel.protocol.message;

/** {@code status} on iopub: busy or idle. */
public record Status(String executionState) {}
