package dev.researchmon.sidecar.gpu;

import dev.researchmon.sidecar.CollectorOutcome;
import dev.researchmon.sidecar.MonitoredSource;
import dev.researchmon.sidecar.notebook.KernelRef;
import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Exposes the latest {@link GpuState} the refresher published: per-GPU gauges and counters
 * (labels {@code gpu}, {@code uuid}, {@code name}), GPM activity where the GPU has it, MIG GPU
 * instances ({@code gpu_instance}, {@code profile}), throttle reasons, the driver as an info
 * metric, and the GPU memory and activity of notebook kernels' processes joined by pid. Never
 * calls NVML itself.
 *
 * <pre>{@code
 * registry.register(new GpuCollector(refresher, kernels::kernelsByPid));
 * }</pre>
 */
public final class GpuCollector implements MultiCollector, MonitoredSource {
    /** The {@code notebook} of GPU activity that belongs to no kernel (other users, the desktop). */
    public static final String OTHER = "other";

    private static final MetricMetadata NVML_AVAILABLE = new MetricMetadata(
            "gpu_nvml_available", "Whether NVML could be loaded and read at the last refresh (1) or not (0).");
    private static final MetricMetadata SNAPSHOT_AGE = new MetricMetadata(
            "sidecar_gpu_snapshot_age_seconds",
            "Time since the GPU refresher last finished a pass over NVML.",
            Unit.SECONDS);
    private static final MetricMetadata DRIVER_INFO =
            new MetricMetadata("gpu_driver", "NVIDIA driver and NVML versions.");
    private static final MetricMetadata THROTTLE_REASON = new MetricMetadata(
            "gpu_throttle_reason_active",
            "Whether a reason is currently holding the GPU's clocks down (1) or not (0).");
    private static final MetricMetadata NOTEBOOK_MEMORY = new MetricMetadata(
            "gpu_notebook_memory_used_bytes",
            "GPU memory held by a notebook kernel's process or its descendants.",
            Unit.BYTES);
    private static final MetricMetadata NOTEBOOK_UTILIZATION = new MetricMetadata(
            "gpu_notebook_utilization_ratio",
            "SM activity of a notebook kernel's processes since the last refresh (NVML per-process "
                    + "utilization); notebook=\"other\" sums processes of no kernel. In MIG mode, the SM activity "
                    + "of the GPU instance holding the kernel's processes.",
            Unit.RATIO);
    /** The attribution rule, said once for both counters (docs/sidecar.md says it the same way). */
    private static final String SHARE_RULE = " Each refresh, a notebook's share is its processes' NVML per-process "
            + "SM utilization; notebook=\"other\" takes processes of no kernel and GPU activity no process "
            + "accounts for, notebook=\"idle\" the rest. Conservation: over any interval the notebooks, other "
            + "and idle sum to the GPU's own counter (gpu_energy_joules_total; for time, the interval) within 1%.";

    private static final MetricMetadata NOTEBOOK_ENERGY = new MetricMetadata(
            "gpu_notebook_energy_joules",
            "GPU energy attributed to a notebook by its share of the GPU's utilization." + SHARE_RULE,
            Unit.JOULES);
    private static final MetricMetadata NOTEBOOK_BUSY = new MetricMetadata(
            "gpu_notebook_busy_seconds",
            "GPU time (utilization times time) attributed to a notebook." + SHARE_RULE,
            Unit.SECONDS);
    private static final MetricMetadata XID_ERRORS = new MetricMetadata(
            "gpu_xid_errors",
            "XID critical errors the driver reported for the GPU since the sidecar started, by XID code.");
    private static final MetricMetadata LAST_XID =
            new MetricMetadata("gpu_last_xid_error", "The XID code of the GPU's latest XID critical error.");

    /** Every family this collector can expose, with its type: client_java checks them at registration. */
    private static final Map<String, MetricType> FAMILIES = families();

    /**
     * Every {@code gpu_} family this collector can expose (Prometheus names, without {@code _total}
     * or {@code _info}). Kernels may not report these names; other {@code gpu_} names (a notebook's
     * own {@code gpu_memory_used_mb}, say) are theirs to use.
     */
    public static final Set<String> FAMILY_NAMES = gpuFamilyNames();

    private static Map<String, MetricType> families() {
        Map<String, MetricType> types = new LinkedHashMap<>();
        types.put(NVML_AVAILABLE.getPrometheusName(), MetricType.GAUGE);
        types.put(SNAPSHOT_AGE.getPrometheusName(), MetricType.GAUGE);
        types.put(DRIVER_INFO.getPrometheusName(), MetricType.INFO);
        for (GpuField field : GpuField.values()) {
            types.put(field.metadata().getPrometheusName(), field.type());
            if (field.migMetadata() != null) {
                types.put(field.migMetadata().getPrometheusName(), field.type());
            }
        }
        types.put(THROTTLE_REASON.getPrometheusName(), MetricType.GAUGE);
        types.put(NOTEBOOK_MEMORY.getPrometheusName(), MetricType.GAUGE);
        types.put(NOTEBOOK_UTILIZATION.getPrometheusName(), MetricType.GAUGE);
        types.put(NOTEBOOK_ENERGY.getPrometheusName(), MetricType.COUNTER);
        types.put(NOTEBOOK_BUSY.getPrometheusName(), MetricType.COUNTER);
        types.put(XID_ERRORS.getPrometheusName(), MetricType.COUNTER);
        types.put(LAST_XID.getPrometheusName(), MetricType.GAUGE);
        return java.util.Collections.unmodifiableMap(types);
    }

    private static Set<String> gpuFamilyNames() {
        Set<String> names = new LinkedHashSet<>();
        for (String name : FAMILIES.keySet()) {
            if (name.startsWith("gpu_")) {
                names.add(name);
            }
        }
        return java.util.Collections.unmodifiableSet(names);
    }

    private final GpuRefresher refresher;
    private final Supplier<Map<Long, KernelRef>> kernelsByPid;
    private final Supplier<XidCounts> xids;

    public GpuCollector(GpuRefresher refresher, Supplier<Map<Long, KernelRef>> kernelsByPid) {
        this(refresher, kernelsByPid, () -> XidCounts.EMPTY);
    }

    /** With the XID counts of a {@link XidWatcher} ({@code xids::current}). */
    public GpuCollector(GpuRefresher refresher, Supplier<Map<Long, KernelRef>> kernelsByPid, Supplier<XidCounts> xids) {
        this.refresher = refresher;
        this.kernelsByPid = kernelsByPid;
        this.xids = xids;
    }

    @Override
    public String collectorName() {
        return "gpu";
    }

    @Override
    public List<String> getPrometheusNames() {
        return List.copyOf(FAMILIES.keySet());
    }

    @Override
    public MetricType getMetricType(String prometheusName) {
        return FAMILIES.get(prometheusName);
    }

    /**
     * Success means the last refresh read NVML and is recent (within three refresh intervals, at
     * least 10 s): a driver call stuck for longer shows as a failure although old values remain.
     */
    @Override
    public CollectorOutcome lastOutcome() {
        GpuState state = refresher.current();
        double age = ageSeconds(state);
        double staleAfter = Math.max(10, 3 * refresher.interval().toMillis() / 1000.0);
        return new CollectorOutcome(state.available() && age <= staleAfter, state.durationSeconds());
    }

    @Override
    public MetricSnapshots collect() {
        GpuState state = refresher.current();
        List<MetricSnapshot> out = new ArrayList<>();
        out.add(new GaugeSnapshot(NVML_AVAILABLE, List.of(point(state.available() ? 1 : 0, Labels.EMPTY))));
        out.add(new GaugeSnapshot(SNAPSHOT_AGE, List.of(point(ageSeconds(state), Labels.EMPTY))));
        GpuReading reading = state.reading();
        if (reading != null) {
            out.add(new InfoSnapshot(
                    DRIVER_INFO,
                    List.of(new InfoDataPointSnapshot(Labels.of(
                            "driver_version", reading.driverVersion(), "nvml_version", reading.nvmlVersion())))));
            addDeviceFields(reading, out);
            addMigInstances(reading, out);
            addThrottleReasons(reading, out);
            addNotebookUse(reading, out);
            addNotebookEnergy(state.energy(), out);
        }
        addXids(xids.get(), out);
        return new MetricSnapshots(out);
    }

    private static void addDeviceFields(GpuReading reading, List<MetricSnapshot> out) {
        Map<GpuField, List<Sample>> samples = new EnumMap<>(GpuField.class);
        for (GpuReading.Device device : reading.devices()) {
            Labels labels = deviceLabels(device);
            device.values()
                    .forEach((field, value) -> samples.computeIfAbsent(field, f -> new ArrayList<>())
                            .add(new Sample(value, labels)));
        }
        for (GpuField field : GpuField.values()) {
            List<Sample> fieldSamples = samples.get(field);
            if (fieldSamples != null) { // no GPU supports it: the family is left out rather than shown empty
                out.add(snapshot(field.metadata(), field.type(), fieldSamples));
            }
        }
    }

    /** The memory and GPM activity of each MIG GPU instance, as the gpu_mig_ families. */
    private static void addMigInstances(GpuReading reading, List<MetricSnapshot> out) {
        Map<GpuField, List<Sample>> samples = new EnumMap<>(GpuField.class);
        for (GpuReading.Device device : reading.devices()) {
            for (GpuReading.MigInstance instance : device.migInstances()) {
                Labels labels = instanceLabels(device, instance);
                instance.values().forEach((field, value) -> {
                    if (field.migMetadata() != null) {
                        samples.computeIfAbsent(field, f -> new ArrayList<>()).add(new Sample(value, labels));
                    }
                });
            }
        }
        for (GpuField field : GpuField.values()) {
            List<Sample> fieldSamples = samples.get(field);
            if (fieldSamples != null) {
                out.add(snapshot(field.migMetadata(), field.type(), fieldSamples));
            }
        }
    }

    private static void addThrottleReasons(GpuReading reading, List<MetricSnapshot> out) {
        List<GaugeDataPointSnapshot> points = new ArrayList<>();
        for (GpuReading.Device device : reading.devices()) {
            if (device.throttleReasons() == null) {
                continue;
            }
            for (ThrottleReason reason : ThrottleReason.values()) {
                points.add(point(
                        reason.isActiveIn(device.throttleReasons()) ? 1 : 0,
                        deviceLabels(device).add("reason", reason.label())));
            }
        }
        if (!points.isEmpty()) {
            out.add(new GaugeSnapshot(THROTTLE_REASON, points));
        }
    }

    /**
     * GPU memory and activity per notebook kernel. Outside MIG, activity is NVML's per-process SM
     * utilization summed per kernel, with the processes of no kernel summed as {@value #OTHER} so
     * the series of a GPU add up; a kernel holding memory but idle shows 0. In MIG mode NVML has no
     * per-process activity: a kernel's series carry its GPU instance and that instance's SM activity.
     */
    private void addNotebookUse(GpuReading reading, List<MetricSnapshot> out) {
        Map<Long, KernelRef> kernels = kernelsByPid.get();
        Map<Long, Optional<KernelRef>> owners = new HashMap<>();
        List<GaugeDataPointSnapshot> memory = new ArrayList<>();
        List<GaugeDataPointSnapshot> activity = new ArrayList<>();
        for (GpuReading.Device device : reading.devices()) {
            Map<Place, Long> memoryByPlace = new LinkedHashMap<>();
            if (device.processes() != null && !kernels.isEmpty()) {
                for (GpuReading.GpuProcess process : device.processes()) {
                    owner(process.pid(), kernels, owners)
                            .ifPresent(ref -> memoryByPlace.merge(
                                    new Place(ref, process.gpuInstance()), process.usedMemoryBytes(), Long::sum));
                }
            }
            memoryByPlace.forEach((place, bytes) -> memory.add(point(bytes, notebookLabels(device, place))));
            if (device.inMigMode()) {
                for (Place place : memoryByPlace.keySet()) {
                    instance(device, place.gpuInstance())
                            .map(i -> i.values().get(GpuField.SM_ACTIVE))
                            .ifPresent(ratio -> activity.add(point(ratio, notebookLabels(device, place))));
                }
            } else if (device.processUtilization() != null) {
                Map<KernelRef, Double> perKernel = new LinkedHashMap<>();
                memoryByPlace.keySet().forEach(place -> perKernel.put(place.kernel(), 0.0));
                double other = 0;
                for (GpuReading.ProcessUtilization p : device.processUtilization()) {
                    Optional<KernelRef> ref = kernels.isEmpty() ? Optional.empty() : owner(p.pid(), kernels, owners);
                    if (ref.isPresent()) {
                        perKernel.merge(ref.get(), p.smRatio(), Double::sum);
                    } else {
                        other += p.smRatio();
                    }
                }
                Labels labels = deviceLabels(device);
                perKernel.forEach((ref, ratio) -> activity.add(point(
                        Math.min(1, ratio),
                        labels.add("kernel_id", ref.kernelId()).add("notebook", ref.notebook()))));
                activity.add(point(Math.min(1, other), labels.add("notebook", OTHER)));
            }
        }
        if (!memory.isEmpty()) {
            out.add(new GaugeSnapshot(NOTEBOOK_MEMORY, memory));
        }
        if (!activity.isEmpty()) {
            out.add(new GaugeSnapshot(NOTEBOOK_UTILIZATION, activity));
        }
    }

    /** A kernel's share of a GPU: the whole GPU, or one MIG GPU instance. */
    private record Place(KernelRef kernel, int gpuInstance) {}

    private static Labels notebookLabels(GpuReading.Device device, Place place) {
        Labels labels = deviceLabels(device)
                .add("kernel_id", place.kernel().kernelId())
                .add("notebook", place.kernel().notebook());
        Optional<GpuReading.MigInstance> instance = instance(device, place.gpuInstance());
        return instance.isEmpty()
                ? labels
                : labels.add("gpu_instance", Integer.toString(instance.get().id()))
                        .add("profile", instance.get().profile());
    }

    private static Optional<GpuReading.MigInstance> instance(GpuReading.Device device, int id) {
        if (id == GpuReading.GpuProcess.NO_INSTANCE) {
            return Optional.empty();
        }
        return device.migInstances().stream().filter(i -> i.id() == id).findFirst();
    }

    /** The ledger's totals: a kernel's accounts carry its kernel_id, other and idle only a notebook. */
    private static void addNotebookEnergy(NotebookEnergy energy, List<MetricSnapshot> out) {
        if (energy.accounts().isEmpty()) {
            return;
        }
        List<CounterDataPointSnapshot> joules = new ArrayList<>();
        List<CounterDataPointSnapshot> busy = new ArrayList<>();
        for (NotebookEnergy.Account a : energy.accounts()) {
            Labels labels = Labels.of("gpu", Integer.toString(a.gpu()), "uuid", a.uuid(), "name", a.name());
            labels = a.kernel() == null
                    ? labels.add("notebook", a.owner())
                    : labels.add("kernel_id", a.kernel().kernelId()).add("notebook", a.owner());
            joules.add(new CounterDataPointSnapshot(a.joules(), labels, null, 0L));
            busy.add(new CounterDataPointSnapshot(a.busySeconds(), labels, null, 0L));
        }
        out.add(new CounterSnapshot(NOTEBOOK_ENERGY, joules));
        out.add(new CounterSnapshot(NOTEBOOK_BUSY, busy));
    }

    /** Counted since start-up, so they stay when a later refresh fails; absent until a first event. */
    private static void addXids(XidCounts counts, List<MetricSnapshot> out) {
        if (counts.counts().isEmpty()) {
            return;
        }
        List<CounterDataPointSnapshot> points = new ArrayList<>();
        for (XidCounts.Count c : counts.counts()) {
            points.add(new CounterDataPointSnapshot(
                    c.value(), xidLabels(c.device()).add("xid", c.xid()), null, 0L));
        }
        out.add(new CounterSnapshot(XID_ERRORS, points));
        List<GaugeDataPointSnapshot> last = new ArrayList<>();
        for (XidCounts.Last l : counts.last()) {
            last.add(point(l.xid(), xidLabels(l.device())));
        }
        out.add(new GaugeSnapshot(LAST_XID, last));
    }

    private static Labels xidLabels(XidCounts.Device device) {
        return Labels.of("gpu", Integer.toString(device.gpu()), "uuid", device.uuid(), "name", device.name());
    }

    /** The kernel owning a GPU process (the process itself or an ancestor), looked up once per scrape. */
    private static Optional<KernelRef> owner(
            long pid, Map<Long, KernelRef> kernels, Map<Long, Optional<KernelRef>> seen) {
        return seen.computeIfAbsent(pid, p -> ProcessOwners.kernelOf(p, kernels));
    }

    private static Labels deviceLabels(GpuReading.Device device) {
        return Labels.of("gpu", Integer.toString(device.index()), "uuid", device.uuid(), "name", device.name());
    }

    private static Labels instanceLabels(GpuReading.Device device, GpuReading.MigInstance instance) {
        return deviceLabels(device)
                .add("gpu_instance", Integer.toString(instance.id()))
                .add("profile", instance.profile());
    }

    private static double ageSeconds(GpuState state) {
        return Math.max(0, (System.nanoTime() - state.takenAtNanos()) / 1e9);
    }

    private record Sample(double value, Labels labels) {}

    private static MetricSnapshot snapshot(MetricMetadata metadata, MetricType type, List<Sample> samples) {
        if (type == MetricType.COUNTER) {
            List<CounterDataPointSnapshot> points = new ArrayList<>();
            samples.forEach(s -> points.add(new CounterDataPointSnapshot(s.value(), s.labels(), null, 0L)));
            return new CounterSnapshot(metadata, points);
        }
        List<GaugeDataPointSnapshot> points = new ArrayList<>();
        samples.forEach(s -> points.add(point(s.value(), s.labels())));
        return new GaugeSnapshot(metadata, points);
    }

    private static GaugeDataPointSnapshot point(double value, Labels labels) {
        return new GaugeDataPointSnapshot(value, labels, null);
    }
}
