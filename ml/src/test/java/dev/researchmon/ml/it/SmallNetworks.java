package dev.researchmon.ml.it;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.TrainingResult;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.researchmon.ml.djl.PrometheusTrainingListener;
import dev.researchmon.ml.training.Phase;
import dev.researchmon.ml.training.TrainingBatch;
import dev.researchmon.ml.training.TrainingMetrics;
import java.util.Random;

/** Small training runs on data they generate, reporting to the given training metrics. */
final class SmallNetworks {
    static final int TRAIN_SAMPLES = 512;
    static final int VALIDATION_SAMPLES = 128;
    static final int BATCH = 32;
    static final int EPOCHS = 3;
    static final float LEARNING_RATE = 0.1f;

    private SmallNetworks() {}

    /** What a plain-Java run logged at its end. */
    record PlainRun(double trainLoss, double validationLoss, double validationAccuracy) {}

    /** Why PyTorch cannot run here, or null when it can. */
    static String pytorchUnavailable() {
        try {
            Engine engine = Engine.getEngine("PyTorch");
            return engine == null ? "DJL found no PyTorch engine" : null;
        } catch (RuntimeException | LinkageError e) {
            return "PyTorch's native library does not load on this machine: " + e;
        }
    }

    /** A two-layer perceptron learning "x0 + x1 > 0", with DJL's basic listeners and ours. */
    static TrainingResult trainDjl(TrainingMetrics metrics) throws Exception {
        return trainDjl(metrics, new Accuracy());
    }

    /** The same run with the given evaluator beside the loss. */
    static TrainingResult trainDjl(TrainingMetrics metrics, Accuracy evaluator) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.getEngine().setRandomSeed(7);
            ArrayDataset train = dataset(manager, TRAIN_SAMPLES, true);
            ArrayDataset validation = dataset(manager, VALIDATION_SAMPLES, false);
            SequentialBlock block = new SequentialBlock()
                    .add(Linear.builder().setUnits(16).build())
                    .add(Activation::relu)
                    .add(Linear.builder().setUnits(2).build());
            try (Model model = Model.newInstance("mlp")) {
                model.setBlock(block);
                Tracker lr = Tracker.fixed(LEARNING_RATE);
                DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                        .addEvaluator(evaluator)
                        .optOptimizer(Optimizer.sgd().setLearningRateTracker(lr).build())
                        .addTrainingListeners(TrainingListener.Defaults.basic())
                        .addTrainingListeners(new PrometheusTrainingListener(metrics, lr));
                try (Trainer trainer = model.newTrainer(config)) {
                    trainer.initialize(new Shape(BATCH, 4));
                    EasyTrain.fit(trainer, EPOCHS, train, validation);
                    return trainer.getTrainingResult();
                }
            }
        }
    }

    private static ArrayDataset dataset(NDManager manager, int samples, boolean shuffle) {
        NDArray x = manager.randomNormal(new Shape(samples, 4));
        NDArray y = x.get(":, 0").add(x.get(":, 1")).gt(0).toType(DataType.FLOAT32, false);
        return new ArrayDataset.Builder()
                .setData(x)
                .optLabels(y)
                .setSampling(BATCH, shuffle)
                .build();
    }

    /** Logistic regression by hand-written gradient descent: the plain-Java API, no framework. */
    static PlainRun trainPlain(TrainingMetrics metrics) {
        Random random = new Random(11);
        double[][] x = new double[TRAIN_SAMPLES + VALIDATION_SAMPLES][2];
        int[] y = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i][0] = random.nextGaussian();
            x[i][1] = random.nextGaussian();
            y[i] = x[i][0] - 0.5 * x[i][1] > 0 ? 1 : 0;
        }
        double[] w = new double[3];
        metrics.learningRate(LEARNING_RATE);
        double trainLoss = Double.NaN;
        double validationLoss = Double.NaN;
        double accuracy = Double.NaN;
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            for (int start = 0; start < TRAIN_SAMPLES; start += BATCH) {
                try (TrainingBatch batch = metrics.startBatch(Phase.TRAIN, BATCH)) {
                    double[] grad = new double[3];
                    double loss = 0;
                    for (int i = start; i < start + BATCH; i++) {
                        double p = predict(w, x[i]);
                        loss += -(y[i] * Math.log(p) + (1 - y[i]) * Math.log(1 - p));
                        grad[0] += (p - y[i]) * x[i][0];
                        grad[1] += (p - y[i]) * x[i][1];
                        grad[2] += p - y[i];
                    }
                    for (int k = 0; k < 3; k++) {
                        w[k] -= LEARNING_RATE * grad[k] / BATCH;
                    }
                    trainLoss = loss / BATCH;
                    batch.loss(trainLoss);
                }
            }
            try (TrainingBatch batch = metrics.startBatch(Phase.VALIDATION, VALIDATION_SAMPLES)) {
                double loss = 0;
                int correct = 0;
                for (int i = TRAIN_SAMPLES; i < x.length; i++) {
                    double p = predict(w, x[i]);
                    loss += -(y[i] * Math.log(p) + (1 - y[i]) * Math.log(1 - p));
                    correct += (p > 0.5 ? 1 : 0) == y[i] ? 1 : 0;
                }
                validationLoss = loss / VALIDATION_SAMPLES;
                accuracy = correct / (double) VALIDATION_SAMPLES;
                batch.loss(validationLoss);
            }
            metrics.evaluation(Phase.VALIDATION, "accuracy", accuracy);
            metrics.epochCompleted();
        }
        return new PlainRun(trainLoss, validationLoss, accuracy);
    }

    private static double predict(double[] w, double[] x) {
        return 1 / (1 + Math.exp(-(w[0] * x[0] + w[1] * x[1] + w[2])));
    }
}
