package dev.researchmon.ml.training;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The training metrics of one kernel: progress, speed, loss, evaluators and learning rate.
 *
 * <p>Registered once in client_java's default registry, which {@code %monitoring on} reports to
 * the sidecar with the kernel's {@code kernel_id} and {@code notebook} labels; so everything a
 * training loop records here shows up per notebook without further code. Plain Java, no ML
 * framework types: a hand-written loop uses it directly (or through {@link TrainingBatch}), and the
 * DJL listener is built on it.
 *
 * <pre>{@code
 * TrainingMetrics metrics = TrainingMetrics.get();
 * for (int epoch = 0; epoch < 3; epoch++) {
 *     for (float[][] batch : batches) {
 *         try (TrainingBatch b = metrics.startBatch(Phase.TRAIN, batch.length)) {
 *             b.loss(step(batch));
 *         }
 *     }
 *     metrics.evaluation(Phase.VALIDATION, "accuracy", validate());
 *     metrics.epochCompleted();
 * }
 * }</pre>
 *
 * <p>Thread-safe: the underlying client_java metrics are.
 */
public final class TrainingMetrics {

    /** Evaluator names become label values: keep them few and short so series stay bounded. */
    static final int MAX_EVALUATORS = 32;

    private static final Pattern EVALUATOR_NAME = Pattern.compile("[A-Za-z0-9_.:/ -]{1,64}");

    private static volatile TrainingMetrics defaultInstance;

    private final Counter batches;
    private final Counter samples;
    private final Counter epochs;
    private final Histogram batchDuration;
    private final Gauge samplesPerSecond;
    private final Gauge loss;
    private final Gauge evaluations;
    private final Gauge learningRate;
    private final Set<String> evaluatorNames = ConcurrentHashMap.newKeySet();

    private TrainingMetrics() {
        batches = Counter.builder()
                .name("training_batches_total")
                .help("Training batches completed, by phase (train, validation)")
                .labelNames("phase")
                .build();
        samples = Counter.builder()
                .name("training_samples_total")
                .help("Samples (examples) processed in completed batches, by phase")
                .labelNames("phase")
                .build();
        epochs = Counter.builder()
                .name("training_epochs_total")
                .help("Training epochs completed")
                .build();
        batchDuration = Histogram.builder()
                .name("training_batch_duration_seconds")
                .help("Wall-clock time of one batch, by phase")
                .labelNames("phase")
                .classicOnly()
                // from a millisecond (tiny CPU models) to about 9 minutes (large GPU steps)
                .classicExponentialUpperBounds(0.001, 2.0, 20)
                .build();
        samplesPerSecond = Gauge.builder()
                .name("training_samples_per_second")
                .help("Throughput of the most recent training batch: its samples over its duration")
                .build();
        loss = Gauge.builder()
                .name("training_loss")
                .help("Most recent loss value, by phase")
                .labelNames("phase")
                .build();
        evaluations = Gauge.builder()
                .name("training_metric")
                .help("Most recent value of each evaluator (accuracy, ...), by phase")
                .labelNames("evaluator", "phase")
                .build();
        learningRate = Gauge.builder()
                .name("training_learning_rate")
                .help("Learning rate in use, where the training loop knows it")
                .build();
    }

    /** Registers every metric or none, so a name clash leaves the registry as it was. */
    private TrainingMetrics registerAllIn(PrometheusRegistry registry) {
        List<Collector> all =
                List.of(batches, samples, epochs, batchDuration, samplesPerSecond, loss, evaluations, learningRate);
        List<Collector> done = new ArrayList<>();
        try {
            for (Collector c : all) {
                registry.register(c);
                done.add(c);
            }
        } catch (IllegalArgumentException clash) {
            done.forEach(registry::unregister);
            throw new IllegalStateException(
                    "the training metrics cannot be registered: " + clash.getMessage()
                            + " (notebook code that defines training_* metrics itself clashes with TrainingMetrics;"
                            + " record through TrainingMetrics instead)",
                    clash);
        }
        return this;
    }

    /**
     * The kernel's training metrics, registered in the default registry on first use.
     *
     * @throws IllegalStateException when notebook code already registered one of the names
     */
    public static TrainingMetrics get() {
        TrainingMetrics m = defaultInstance;
        if (m == null) {
            synchronized (TrainingMetrics.class) {
                m = defaultInstance;
                if (m == null) {
                    m = new TrainingMetrics().registerAllIn(PrometheusRegistry.defaultRegistry);
                    defaultInstance = m;
                }
            }
        }
        return m;
    }

    /**
     * Training metrics registered in the given registry (tests, or a registry of one's own).
     *
     * @throws IllegalStateException when the registry already has one of the names; nothing is registered then
     */
    public static TrainingMetrics registerIn(PrometheusRegistry registry) {
        return new TrainingMetrics().registerAllIn(Objects.requireNonNull(registry, "registry"));
    }

    /** Starts timing a batch of {@code sampleCount} samples; closing it records the batch. */
    public TrainingBatch startBatch(Phase phase, long sampleCount) {
        requirePhase(phase);
        requireSamples(sampleCount);
        return new TrainingBatch(this, phase, sampleCount, System.nanoTime());
    }

    /** Records a batch that the caller timed itself. */
    public void batchCompleted(Phase phase, long sampleCount, Duration duration) {
        requirePhase(phase);
        requireSamples(sampleCount);
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("a batch duration cannot be negative: " + duration);
        }
        double seconds = duration.toNanos() / 1e9;
        batches.labelValues(phase.label()).inc();
        samples.labelValues(phase.label()).inc(sampleCount);
        batchDuration.labelValues(phase.label()).observe(seconds);
        if (phase == Phase.TRAIN && seconds > 0 && sampleCount > 0) {
            samplesPerSecond.set(sampleCount / seconds);
        }
    }

    /** Sets the loss of a phase; a NaN or infinite loss is recorded as it is (divergence shows). */
    public void loss(Phase phase, double value) {
        requirePhase(phase);
        loss.labelValues(phase.label()).set(value);
    }

    /**
     * Sets an evaluator's value (accuracy, top-k, ...) for a phase.
     *
     * @throws IllegalArgumentException for a name that is empty, too long, has odd characters, or
     *                                  would be the 33rd distinct evaluator (labels stay bounded)
     */
    public void evaluation(Phase phase, String evaluator, double value) {
        requirePhase(phase);
        Objects.requireNonNull(evaluator, "evaluator");
        if (!EVALUATOR_NAME.matcher(evaluator).matches()) {
            throw new IllegalArgumentException("evaluator name must be 1 to 64 letters, digits or _.:/ -"
                    + " characters, got '" + evaluator + "'");
        }
        if (!evaluatorNames.contains(evaluator)) {
            synchronized (evaluatorNames) {
                if (evaluatorNames.size() >= MAX_EVALUATORS && !evaluatorNames.contains(evaluator)) {
                    throw new IllegalArgumentException("at most " + MAX_EVALUATORS
                            + " evaluator names per kernel, already have " + evaluatorNames);
                }
                evaluatorNames.add(evaluator);
            }
        }
        evaluations.labelValues(evaluator, phase.label()).set(value);
    }

    /** Sets the learning rate in use. */
    public void learningRate(double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("a learning rate must be finite and not negative, got " + value);
        }
        learningRate.set(value);
    }

    /** Counts one completed epoch. */
    public void epochCompleted() {
        epochs.inc();
    }

    private static void requirePhase(Phase phase) {
        Objects.requireNonNull(phase, "phase");
    }

    private static void requireSamples(long sampleCount) {
        if (sampleCount < 0) {
            throw new IllegalArgumentException("a batch cannot have a negative sample count: " + sampleCount);
        }
    }
}
