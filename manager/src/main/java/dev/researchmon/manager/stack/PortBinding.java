package dev.researchmon.manager.stack;

/** One published port of a service: {@code hostIp:hostPort -> containerPort/protocol}. */
public record PortBinding(String hostIp, int hostPort, int containerPort, String protocol) {}
