package dev.researchmon.sidecar.gpu;

import dev.researchmon.sidecar.notebook.KernelRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Shares each GPU's energy and time between notebooks, other processes and idleness, one refresh
 * at a time. The rule, the same in the metrics' help text and docs/sidecar.md: over a refresh, a
 * process's share is its mean NVML per-process SM utilization (scaled down when the processes add
 * up to more than the whole GPU); what the GPU's own utilization shows beyond the processes'
 * shares goes to {@code other} as well; the rest of the interval is {@code idle}. Each share of
 * the GPU's energy-counter increase and of the elapsed time is added to the owner's totals, so the
 * notebooks, {@code other} and {@code idle} always sum to the counter's increase (and to the
 * elapsed time) since the sidecar first read the GPU.
 *
 * <p>Runs on the refresher's thread only: its tables are its own, and each pass publishes an
 * immutable {@link NotebookEnergy}. GPUs in MIG mode, or without per-process utilization, are not
 * attributed (NVML cannot say who kept them busy).
 *
 * <pre>{@code
 * EnergyLedger ledger = new EnergyLedger(kernels::kernelsByPid);
 * NotebookEnergy totals = ledger.record(reading, System.nanoTime());
 * }</pre>
 */
public final class EnergyLedger {
    public static final String OTHER = "other";
    public static final String IDLE = "idle";
    /** Owners remembered per pid at most; cleared past it (pids are many only on a busy shared host). */
    private static final int OWNER_CACHE_LIMIT = 4096;

    private final Supplier<Map<Long, KernelRef>> kernelsByPid;
    private final Map<Integer, GpuAccount> gpus = new HashMap<>();
    private final Map<Long, Optional<KernelRef>> owners = new HashMap<>();
    private Map<Long, KernelRef> ownersFor = Map.of();
    private Set<KernelRef> live = Set.of();

    public EnergyLedger(Supplier<Map<Long, KernelRef>> kernelsByPid) {
        this.kernelsByPid = kernelsByPid;
    }

    /** Adds the interval since the previous reading to the owners' totals; returns all totals. */
    public NotebookEnergy record(GpuReading reading, long nanos) {
        Map<Long, KernelRef> kernels = kernelsByPid.get();
        boolean kernelsChanged = !kernels.equals(ownersFor);
        if (kernelsChanged || owners.size() > OWNER_CACHE_LIMIT) {
            // a kernel came or went: a pid's owner may have changed (ancestry is looked up again)
            owners.clear();
            ownersFor = Map.copyOf(kernels);
            live = new HashSet<>(kernels.values());
        }
        List<NotebookEnergy.Account> out = new ArrayList<>();
        for (GpuReading.Device device : reading.devices()) {
            if (device.inMigMode() || device.processUtilization() == null) {
                continue;
            }
            GpuAccount account = gpus.computeIfAbsent(device.index(), i -> new GpuAccount());
            account.add(device, nanos, kernels);
            if (kernelsChanged) {
                account.forget(live);
            }
            account.publish(device, out);
        }
        return new NotebookEnergy(out);
    }

    private Optional<KernelRef> owner(long pid, Map<Long, KernelRef> kernels) {
        return owners.computeIfAbsent(pid, p -> ProcessOwners.kernelOf(p, kernels));
    }

    /** One GPU's previous reading and its owners' running totals (joules, busy seconds). */
    private final class GpuAccount {
        private Double lastJoules;
        private Double lastWatts;
        private long lastNanos;
        private boolean seen;
        private final double[] other = new double[2];
        private final double[] idle = new double[2];
        private final Map<KernelRef, double[]> notebooks = new LinkedHashMap<>();
        private final Map<KernelRef, Double> shares = new HashMap<>();

        void add(GpuReading.Device device, long nanos, Map<Long, KernelRef> kernels) {
            Double joules = device.values().get(GpuField.ENERGY);
            Double watts = device.values().get(GpuField.POWER);
            boolean first = !seen;
            double seconds = (nanos - lastNanos) / 1e9;
            double spent = first ? 0 : energySince(joules, watts, seconds);
            Double previousJoules = lastJoules;
            seen = true;
            lastJoules = joules;
            lastWatts = watts;
            lastNanos = nanos;
            if (first || spent < 0 || (previousJoules != null && joules == null)) {
                return; // the first reading, or a counter reset (driver reloaded): nothing to share yet
            }
            shares.clear();
            double processes = 0;
            double foreign = 0;
            for (GpuReading.ProcessUtilization p : device.processUtilization()) {
                processes += p.smRatio();
                Optional<KernelRef> kernel = owner(p.pid(), kernels);
                if (kernel.isPresent()) {
                    shares.merge(kernel.get(), p.smRatio(), Double::sum);
                } else {
                    foreign += p.smRatio();
                }
            }
            double scale = processes > 1 ? 1 / processes : 1;
            double gpuBusy = device.values().getOrDefault(GpuField.UTILIZATION, 0.0);
            double busy = Math.min(1, Math.max(gpuBusy, processes * scale));
            // what the GPU says was busy beyond the processes NVML named is nobody's notebook
            double otherShare = foreign * scale + (busy - processes * scale);
            for (Map.Entry<KernelRef, Double> s : shares.entrySet()) {
                credit(notebooks.computeIfAbsent(s.getKey(), k -> new double[2]), s.getValue() * scale, spent, seconds);
            }
            credit(other, otherShare, spent, seconds);
            credit(idle, 1 - busy, spent, seconds);
        }

        /** The energy-counter increase; the mean power times the time where there is no counter. */
        private double energySince(Double joules, Double watts, double seconds) {
            if (joules != null && lastJoules != null) {
                return joules - lastJoules;
            }
            if (watts != null) {
                return (lastWatts == null ? watts : (watts + lastWatts) / 2) * seconds;
            }
            return 0;
        }

        private void credit(double[] totals, double share, double joules, double seconds) {
            totals[0] += share * joules;
            totals[1] += share * seconds;
        }

        /** A kernel that left the sidecar leaves these counters too (its notebook's sum keeps rising). */
        void forget(Set<KernelRef> live) {
            for (Iterator<KernelRef> it = notebooks.keySet().iterator(); it.hasNext(); ) {
                if (!live.contains(it.next())) {
                    it.remove();
                }
            }
        }

        void publish(GpuReading.Device d, List<NotebookEnergy.Account> out) {
            notebooks.forEach((ref, t) -> out.add(
                    new NotebookEnergy.Account(d.index(), d.uuid(), d.name(), ref, ref.notebook(), t[0], t[1])));
            out.add(new NotebookEnergy.Account(d.index(), d.uuid(), d.name(), null, OTHER, other[0], other[1]));
            out.add(new NotebookEnergy.Account(d.index(), d.uuid(), d.name(), null, IDLE, idle[0], idle[1]));
        }
    }
}
