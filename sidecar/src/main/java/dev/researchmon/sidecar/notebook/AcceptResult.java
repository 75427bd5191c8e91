package dev.researchmon.sidecar.notebook;

/** How many series of one report were kept and how many dropped. */
public record AcceptResult(int accepted, int dropped) {}
