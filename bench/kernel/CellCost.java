import dev.researchmon.kernel.eval.JShellEvaluator;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * What a trivial cell costs inside the kernel's JVM, without the protocol: the kernel's evaluator
 * runs {@code 1 + 1} (or the code given) N times after start; per window of cells it prints the
 * median wall time, the median CPU time of the evaluating thread, and the whole process's CPU per
 * cell (JIT compiler threads included). CPU times hold up on a loaded machine better than wall
 * times. Pass the JIT options to compare on the java command line:
 *
 * <pre>
 * java -XX:TieredStopAtLevel=1 -cp kernel/target/research-kernel.jar bench/kernel/CellCost.java 800
 * java $(jq -r '.argv[4:-3][]' "$JUPYTER_DATA_DIR/kernels/java/kernel.json") \
 *      -cp kernel/target/research-kernel.jar bench/kernel/CellCost.java 800
 * </pre>
 */
public class CellCost {
    public static void main(String[] args) {
        int cells = Integer.parseInt(args[0]);
        String code = args.length > 1 ? args[1] : "1 + 1";
        var threads = ManagementFactory.getThreadMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long vmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        JShellEvaluator java = new JShellEvaluator(System.err);
        java.warmUp();
        System.out.printf("JVM start to evaluator ready (the kernel's own warm-up done): %d ms%n",
                System.currentTimeMillis() - vmStart);
        int[] edges = {0, 20, 220, 420, 620, 1000, 2000, 5000};
        double[] wall = new double[cells];
        double[] cpu = new double[cells];
        long processCpu = os.getProcessCpuTime();
        int window = 1;
        for (int i = 0; i < cells; i++) {
            long t0 = System.nanoTime();
            long c0 = threads.getCurrentThreadCpuTime();
            java.evaluate(code);
            wall[i] = (System.nanoTime() - t0) / 1e6;
            cpu[i] = (threads.getCurrentThreadCpuTime() - c0) / 1e6;
            boolean last = i + 1 == cells;
            if (window < edges.length && (i + 1 == edges[window] || last)) {
                int from = edges[window - 1];
                int n = i + 1 - from;
                long now = os.getProcessCpuTime();
                System.out.printf("cells %4d-%4d: wall %6.2f ms, evaluating thread's CPU %6.2f ms (medians); "
                                + "process CPU per cell %6.2f ms%n", from + 1, i + 1, median(wall, from, i + 1),
                        median(cpu, from, i + 1), (now - processCpu) / 1e6 / n);
                processCpu = now;
                window++;
                if (last) {
                    break;
                }
            }
        }
        java.close();
    }

    private static double median(double[] values, int from, int to) {
        double[] part = Arrays.copyOfRange(values, from, to);
        Arrays.sort(part);
        return part[part.length / 2];
    }
}
