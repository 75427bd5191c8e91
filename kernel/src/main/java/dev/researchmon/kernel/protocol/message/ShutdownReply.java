package dev.researchmon.kernel.protocol.message;

/** {@code shutdown_reply}, on the request's channel and on iopub. */
public record ShutdownReply(String status, boolean restart) {}
