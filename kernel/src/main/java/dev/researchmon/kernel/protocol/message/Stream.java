package dev.researchmon.kernel.protocol.message;

/** {@code stream} on iopub: text a cell printed. */
public record Stream(String name, String text) {}
