package dev.researchmon.kernel.protocol.message;

/** {@code input_request} on the stdin channel: the running cell reads a line. */
public record InputRequest(String prompt, boolean password) {}
