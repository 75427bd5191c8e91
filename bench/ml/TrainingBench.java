/*
 * What training metrics cost a training run, measured against the same run without them.
 * Single-file program, run by bench/ml/run.sh with the kernel jar, DJL and the listener jar:
 *   java -cp CLASSPATH bench/ml/TrainingBench.java [ROUNDS=7]
 *
 * 1. DJL on PyTorch's CPU engine trains a 16-64-2 perceptron on 4096 generated points (batches
 *    of 64, 5 epochs, one PyTorch thread) with DJL's basic listeners (the peer), and with those plus
 *    PrometheusTrainingListener; the two alternate, ROUNDS times each after a warm-up.
 * 2. Recording one batch through TrainingMetrics (count, samples, duration histogram, throughput,
 *    loss) against the same five updates written by hand on client_java metrics (the peer: what a
 *    notebook without the API does), 1,000,000 batches a run.
 * Medians over rounds; the ratio is this project's figure over the peer's, same run.
 */
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
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.researchmon.ml.djl.PrometheusTrainingListener;
import dev.researchmon.ml.training.Phase;
import dev.researchmon.ml.training.TrainingMetrics;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

public class TrainingBench {
    static final int SAMPLES = 4096;
    static final int BATCH = 64;
    static final int EPOCHS = 5;
    static final int RECORDS = 1_000_000;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        System.out.println("engine: " + Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion()
                + ", " + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version"));

        List<Double> without = new ArrayList<>();
        List<Double> with = new ArrayList<>();
        for (int i = 0; i < 3; i++) { // JIT and PyTorch's allocator settle over the first fits
            train(false);
            train(true);
        }
        for (int i = 0; i < rounds; i++) {
            without.add(train(false));
            with.add(train(true));
        }
        report("DJL fit, 5 epochs x 64 batches (ms)", "basic listeners", without, "+ PrometheusTrainingListener", with);

        List<Double> byHand = new ArrayList<>();
        List<Double> api = new ArrayList<>();
        recordByHand();
        recordWithApi();
        for (int i = 0; i < rounds; i++) {
            byHand.add(recordByHand());
            api.add(recordWithApi());
        }
        report("one batch recorded (ns)", "client_java by hand", byHand, "TrainingMetrics", api);
    }

    /** Milliseconds for one fit. */
    static double train(boolean withMetrics) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.getEngine().setRandomSeed(3);
            NDArray x = manager.randomNormal(new Shape(SAMPLES, 16));
            NDArray y = x.get(":, 0").add(x.get(":, 1")).gt(0).toType(DataType.FLOAT32, false);
            ArrayDataset data = new ArrayDataset.Builder().setData(x).optLabels(y).setSampling(BATCH, true).build();
            try (Model model = Model.newInstance("mlp")) {
                model.setBlock(new SequentialBlock().add(Linear.builder().setUnits(64).build())
                        .add(Activation::relu).add(Linear.builder().setUnits(2).build()));
                Tracker lr = Tracker.fixed(0.05f);
                DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                        .addEvaluator(new Accuracy())
                        .optOptimizer(Optimizer.sgd().setLearningRateTracker(lr).build())
                        .addTrainingListeners(TrainingListener.Defaults.basic());
                if (withMetrics) {
                    config.addTrainingListeners(new PrometheusTrainingListener(
                            TrainingMetrics.registerIn(new PrometheusRegistry()), lr));
                }
                try (Trainer trainer = model.newTrainer(config)) {
                    trainer.initialize(new Shape(BATCH, 16));
                    long start = System.nanoTime();
                    EasyTrain.fit(trainer, EPOCHS, data, null);
                    return (System.nanoTime() - start) / 1e6;
                }
            }
        }
    }

    /** Nanoseconds per batch, the five updates on client_java metrics directly. */
    static double recordByHand() {
        PrometheusRegistry registry = new PrometheusRegistry();
        Counter batches = Counter.builder().name("b_total").help("b").labelNames("phase").register(registry);
        Counter samples = Counter.builder().name("s_total").help("s").labelNames("phase").register(registry);
        Histogram seconds = Histogram.builder().name("d_seconds").help("d").labelNames("phase").classicOnly()
                .classicExponentialUpperBounds(0.001, 2, 20).register(registry);
        Gauge throughput = Gauge.builder().name("t").help("t").register(registry);
        Gauge loss = Gauge.builder().name("l").help("l").labelNames("phase").register(registry);
        long start = System.nanoTime();
        for (int i = 0; i < RECORDS; i++) {
            double d = 0.01 + (i & 7) * 1e-3;
            batches.labelValues("train").inc();
            samples.labelValues("train").inc(BATCH);
            seconds.labelValues("train").observe(d);
            throughput.set(BATCH / d);
            loss.labelValues("train").set(1.0 / (i + 1));
        }
        return (System.nanoTime() - start) / (double) RECORDS;
    }

    /** Nanoseconds per batch through TrainingMetrics. */
    static double recordWithApi() {
        TrainingMetrics metrics = TrainingMetrics.registerIn(new PrometheusRegistry());
        long start = System.nanoTime();
        for (int i = 0; i < RECORDS; i++) {
            metrics.batchCompleted(Phase.TRAIN, BATCH, Duration.ofNanos(10_000_000 + (i & 7) * 1_000_000L));
            metrics.loss(Phase.TRAIN, 1.0 / (i + 1));
        }
        return (System.nanoTime() - start) / (double) RECORDS;
    }

    static void report(String what, String peerName, List<Double> peer, String oursName, List<Double> ours) {
        double p = median(peer);
        double o = median(ours);
        System.out.printf("%s: %s median %.1f, %s median %.1f, ratio %.3f (runs: %s vs %s)%n",
                what, peerName, p, oursName, o, o / p, fmt(peer), fmt(ours));
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static String fmt(List<Double> values) {
        return values.stream().map(v -> String.format("%.1f", v)).toList().toString();
    }
}
