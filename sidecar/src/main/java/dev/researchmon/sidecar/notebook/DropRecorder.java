package dev.researchmon.sidecar.notebook;

/** Where the registry counts what it dropped (the sidecar's own counters). */
@FunctionalInterface
public interface DropRecorder {
    void dropped(DropReason reason, int series);
}
