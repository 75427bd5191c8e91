package dev.researchmon.manager.stack;

/** The HTTP endpoint that tells a part of a service is healthy, on the service's container port. */
public record HealthEndpoint(String part, int containerPort, String path) {}
