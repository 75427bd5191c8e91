package dev.researchmon.ml.training;

import java.time.Duration;

/**
 * One batch being timed; closing it records the batch (count, samples, duration, throughput) and
 * the loss given, if any.
 *
 * <pre>{@code
 * try (TrainingBatch batch = TrainingMetrics.get().startBatch(Phase.TRAIN, 64)) {
 *     batch.loss(model.step(x, y));
 * }
 * }</pre>
 *
 * Not thread-safe: one batch belongs to the thread that runs it.
 */
public final class TrainingBatch implements AutoCloseable {
    private final TrainingMetrics metrics;
    private final Phase phase;
    private final long sampleCount;
    private final long startNanos;
    private Double loss;
    private boolean closed;

    TrainingBatch(TrainingMetrics metrics, Phase phase, long sampleCount, long startNanos) {
        this.metrics = metrics;
        this.phase = phase;
        this.sampleCount = sampleCount;
        this.startNanos = startNanos;
    }

    /** The batch's loss, recorded for the batch's phase when the batch is closed. */
    public TrainingBatch loss(double value) {
        this.loss = value;
        return this;
    }

    /** Records the batch; closing twice records it once. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        metrics.batchCompleted(phase, sampleCount, Duration.ofNanos(System.nanoTime() - startNanos));
        if (loss != null) {
            metrics.loss(phase, loss);
        }
    }
}
