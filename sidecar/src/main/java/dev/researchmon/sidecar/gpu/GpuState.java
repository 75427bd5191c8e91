package dev.researchmon.sidecar.gpu;

/**
 * The latest outcome of reading the GPUs, swapped whole by {@link GpuRefresher} and read by
 * scrapes.
 *
 * @param reading the last successful reading, or {@code null} when NVML is unavailable
 * @param unavailableReason why there is no reading, or {@code null}
 * @param takenAtNanos {@link System#nanoTime()} when the refresh finished
 * @param durationSeconds how long the refresh took
 * @param energy each notebook's share of the GPUs' energy and time so far ({@link EnergyLedger})
 */
public record GpuState(
        GpuReading reading,
        String unavailableReason,
        long takenAtNanos,
        double durationSeconds,
        NotebookEnergy energy) {

    public GpuState(GpuReading reading, String unavailableReason, long takenAtNanos, double durationSeconds) {
        this(reading, unavailableReason, takenAtNanos, durationSeconds, NotebookEnergy.NONE);
    }

    static GpuState notYetRead() {
        return new GpuState(null, "not read yet", System.nanoTime(), 0);
    }

    public boolean available() {
        return reading != null;
    }
}
