package dev.researchmon.ml.djl;

import ai.djl.training.Trainer;
import ai.djl.training.TrainingResult;
import ai.djl.training.evaluator.Evaluator;
import ai.djl.training.listener.EvaluatorTrainingListener;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.tracker.ParameterTracker;
import dev.researchmon.ml.training.Phase;
import dev.researchmon.ml.training.TrainingMetrics;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A DJL {@link TrainingListener} that records a training run in the kernel's training metrics
 * ({@code training_batches_total}, {@code training_loss{phase}}, {@code training_metric{evaluator,phase}},
 * ...), which {@code %monitoring on} reports to Prometheus.
 *
 * <p>It lives in its own jar, not in the kernel's: DJL arrives with {@code %maven} in the
 * notebook's class loader, which the kernel's classes cannot see. {@code %maven} adds this jar
 * whenever it adds {@code ai.djl:api}. Add it after DJL's default listeners, which compute the
 * evaluations it reads:
 *
 * <pre>{@code
 * DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
 *         .addEvaluator(new Accuracy())
 *         .addTrainingListeners(TrainingListener.Defaults.logging())
 *         .addTrainingListeners(new PrometheusTrainingListener());
 * }</pre>
 *
 * <p>While an epoch runs, loss and evaluators show the epoch's running value (what DJL's progress
 * bar shows); at the end of each epoch and of training, the epoch's final values as DJL logs them
 * in its {@link TrainingResult}. A batch's duration is the time since the previous batch ended (or
 * the epoch or training began), so it includes loading the batch: what a researcher waits for.
 */
public final class PrometheusTrainingListener implements TrainingListener {

    private static final String LOSS_KEY = "loss";

    private final TrainingMetrics metrics;
    private final ParameterTracker learningRate;
    private long lastEventNanos = System.nanoTime();
    private int trainingBatches;
    private final Set<String> skippedEvaluators = new HashSet<>();

    /** Records into the kernel's training metrics; the learning rate is not known. */
    public PrometheusTrainingListener() {
        this(TrainingMetrics.get(), null);
    }

    /**
     * Records into the kernel's training metrics, including the learning rate that
     * {@code learningRate} gives for each update (pass the tracker the optimizer was built with).
     */
    public PrometheusTrainingListener(ParameterTracker learningRate) {
        this(TrainingMetrics.get(), learningRate);
    }

    /** Records into the given metrics (tests, or a registry of one's own). */
    public PrometheusTrainingListener(TrainingMetrics metrics, ParameterTracker learningRate) {
        this.metrics = metrics;
        this.learningRate = learningRate;
    }

    @Override
    public void onTrainingBegin(Trainer trainer) {
        lastEventNanos = System.nanoTime();
        trainingBatches = 0;
        recordLearningRate();
    }

    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        recordBatch(Phase.TRAIN, batchData);
        trainingBatches++;
        recordRunningValues(trainer, Phase.TRAIN, EvaluatorTrainingListener.TRAIN_EPOCH);
        recordLearningRate();
    }

    @Override
    public void onValidationBatch(Trainer trainer, BatchData batchData) {
        recordBatch(Phase.VALIDATION, batchData);
        recordRunningValues(trainer, Phase.VALIDATION, EvaluatorTrainingListener.VALIDATE_EPOCH);
    }

    @Override
    public void onEpoch(Trainer trainer) {
        metrics.epochCompleted();
        recordEpochValues(trainer);
        lastEventNanos = System.nanoTime();
    }

    @Override
    public void onTrainingEnd(Trainer trainer) {
        // every listener has finished its last epoch by now, so these are the values DJL logged,
        // whatever order the listeners were added in
        recordEpochValues(trainer);
    }

    private void recordBatch(Phase phase, BatchData batchData) {
        long now = System.nanoTime();
        long samples = batchData.getBatch() == null ? 0 : batchData.getBatch().getSize();
        metrics.batchCompleted(phase, samples, Duration.ofNanos(now - lastEventNanos));
        lastEventNanos = now;
    }

    /** The evaluators' accumulators for this epoch so far; absent before DJL's listener set them up. */
    private void recordRunningValues(Trainer trainer, Phase phase, String accumulator) {
        for (Evaluator evaluator : trainer.getEvaluators()) {
            float value;
            try {
                value = evaluator.getAccumulator(accumulator);
            } catch (RuntimeException noAccumulatorYet) {
                continue;
            }
            if (Float.isNaN(value)) {
                continue; // an accumulator reset at the epoch's start and not yet updated
            }
            record(phase, isLoss(trainer, evaluator.getName()) ? LOSS_KEY : evaluator.getName(), value);
        }
    }

    /** DJL's own per-epoch evaluations, keyed {@code train_<name>} / {@code validate_<name>}. */
    private void recordEpochValues(Trainer trainer) {
        TrainingResult result = trainer.getTrainingResult();
        Map<String, Float> evaluations = result == null ? null : result.getEvaluations();
        if (evaluations == null) {
            return;
        }
        evaluations.forEach((key, value) -> {
            if (value == null || value.isNaN()) {
                return; // e.g. validate_* when the run has no validation set
            }
            Phase phase;
            String name;
            if (key.startsWith("train_")) {
                phase = Phase.TRAIN;
                name = key.substring("train_".length());
            } else if (key.startsWith("validate_")) {
                phase = Phase.VALIDATION;
                name = key.substring("validate_".length());
            } else {
                return;
            }
            if (isLoss(trainer, name)) {
                return; // DJL stores the loss twice: as train_loss and under its own name
            }
            record(phase, name, value);
        });
    }

    /** The loss is also one of the trainer's evaluators, under its own name. */
    private static boolean isLoss(Trainer trainer, String evaluatorName) {
        return trainer.getLoss() != null && trainer.getLoss().getName().equals(evaluatorName);
    }

    private void record(Phase phase, String name, double value) {
        if (LOSS_KEY.equals(name)) {
            metrics.loss(phase, value);
            return;
        }
        try {
            metrics.evaluation(phase, name, value);
        } catch (IllegalArgumentException unusableName) {
            // a monitoring problem must never stop a training run: say it once, keep training
            if (skippedEvaluators.add(name)) {
                System.err.println(
                        "training metrics: evaluator '" + name + "' is not recorded: " + unusableName.getMessage());
            }
        }
    }

    private void recordLearningRate() {
        if (learningRate != null) {
            metrics.learningRate(learningRate.getNewValue("", trainingBatches));
        }
    }
}
