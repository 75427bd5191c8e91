import dev.researchmon.sidecar.gpu.GpuField;
import dev.researchmon.sidecar.gpu.GpuReading;
import dev.researchmon.sidecar.gpu.NvmlGpuReader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * What one NVML pass of the sidecar's reader costs per GPU, GPM on against GPM off, through the
 * real JNA path. Two copies of the library are loaded side by side (configured by their .env
 * files); blocks of passes alternate between them so both see the same machine load.
 *
 * <pre>java -cp sidecar/target/metrics-sidecar.jar bench/gpu/NvmlPassBench.java ON_LIB OFF_LIB [BLOCKS] [PASSES]</pre>
 */
public class NvmlPassBench {
  public static void main(String[] args) throws Exception {
    Path on = Path.of(args[0]);
    Path off = Path.of(args[1]);
    int blocks = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    int passes = args.length > 3 ? Integer.parseInt(args[3]) : 200;
    try (NvmlGpuReader gpmOn = NvmlGpuReader.open(Optional.of(on));
         NvmlGpuReader gpmOff = NvmlGpuReader.open(Optional.of(off))) {
      int gpus = gpmOn.read().devices().size();
      describe("GPM on ", gpmOn.read());
      describe("GPM off", gpmOff.read());
      for (int i = 0; i < 500; i++) { // warm-up: JIT, JNA's structure caches
        gpmOn.read();
        gpmOff.read();
      }
      // the energy ledger after the GPM-on pass, as the refresher runs it: half the processes are notebooks'
      java.util.Map<Long, dev.researchmon.sidecar.notebook.KernelRef> kernels = new java.util.HashMap<>();
      for (GpuReading.Device d : gpmOn.read().devices()) {
        if (d.processes() != null) {
          for (int p = 0; p < d.processes().size(); p += 2) {
            long pid = d.processes().get(p).pid();
            kernels.put(pid, new dev.researchmon.sidecar.notebook.KernelRef("k" + pid, "nb" + pid + ".ipynb"));
          }
        }
      }
      dev.researchmon.sidecar.gpu.EnergyLedger ledger = new dev.researchmon.sidecar.gpu.EnergyLedger(() -> kernels);
      for (int i = 0; i < 500; i++) {
        ledger.record(gpmOn.read(), System.nanoTime());
      }
      long[] onNanos = new long[blocks * passes];
      long[] offNanos = new long[blocks * passes];
      long[] ledgerNanos = new long[blocks * passes];
      int k = 0;
      for (int b = 0; b < blocks; b++) {
        for (int i = 0; i < passes; i++, k++) {
          long t0 = System.nanoTime();
          gpmOn.read();
          long t1 = System.nanoTime();
          gpmOff.read();
          long t2 = System.nanoTime();
          GpuReading r = gpmOn.read();
          long t3 = System.nanoTime();
          ledger.record(r, t3);
          long t4 = System.nanoTime();
          onNanos[k] = t1 - t0;
          offNanos[k] = t2 - t1;
          ledgerNanos[k] = (t4 - t3) + (t3 - t2); // a whole refresh: the GPM-on pass plus the ledger
        }
      }
      System.out.printf("passes: %d each, %d GPUs, %s%n", k, gpus, System.getProperty("java.vm.version"));
      report("GPM on ", onNanos, gpus);
      report("GPM off", offNanos, gpus);
      report("GPM on + energy ledger", ledgerNanos, gpus);
    }
  }

  private static void describe(String what, GpuReading reading) {
    GpuReading.Device d = reading.devices().get(0);
    System.out.printf("%s: %d GPUs, fields per GPU %d (GPM: %s), processes %s, per-process samples %s%n",
        what, reading.devices().size(), d.values().size(), d.values().containsKey(GpuField.SM_ACTIVE),
        d.processes() == null ? "-" : d.processes().size(),
        d.processUtilization() == null ? "-" : d.processUtilization().size());
  }

  private static void report(String what, long[] nanos, int gpus) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    double median = sorted[sorted.length / 2] / 1e3;
    double p99 = sorted[(int) (sorted.length * 0.99)] / 1e3;
    System.out.printf("%s: pass median %.1f us (%.1f us per GPU), p99 %.1f us (%.1f us per GPU)%n",
        what, median, median / gpus, p99, p99 / gpus);
  }
}
