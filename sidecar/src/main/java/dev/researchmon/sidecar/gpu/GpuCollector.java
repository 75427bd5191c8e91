package dev.researchmon.sidecar.gpu;

import dev.researchmon.sidecar.CollectorOutcome;
import dev.researchmon.sidecar.MonitoredSource;
import dev.researchmon.sidecar.notebook.KernelRef;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Exposes the latest {@link GpuState} the refresher published: per-GPU gauges and counters
 * (labels {@code gpu}, {@code uuid}, {@code name}), throttle reasons, the driver as an info metric,
 * and GPU memory of notebook kernels' processes joined by pid. Never calls NVML itself.
 *
 * <pre>{@code
 * registry.register(new GpuCollector(refresher, kernels::kernelsByPid));
 * }</pre>
 */
public final class GpuCollector implements MultiCollector, MonitoredSource {
  /** How many parents up a GPU process may be from its kernel (e.g. kernel -> python -> worker). */
  private static final int MAX_ANCESTRY = 8;

  private static final String NVML_AVAILABLE = "gpu_nvml_available";
  private static final String DRIVER_INFO = "gpu_driver";
  private static final String THROTTLE_REASON = "gpu_throttle_reason_active";
  private static final String NOTEBOOK_MEMORY = "gpu_notebook_memory_used_bytes";
  private static final String XID_ERRORS = "gpu_xid_errors";
  private static final String LAST_XID = "gpu_last_xid_error";

  /**
   * Every {@code gpu_} family this collector can expose (base names, without {@code _total} or
   * {@code _info}). Kernels may not report these names; other {@code gpu_} names (a notebook's own
   * {@code gpu_memory_used_mb}, say) are theirs to use.
   */
  public static final Set<String> FAMILY_NAMES = familyNames();

  private static Set<String> familyNames() {
    Set<String> names = new HashSet<>(Set.of(NVML_AVAILABLE, DRIVER_INFO, THROTTLE_REASON, NOTEBOOK_MEMORY,
        XID_ERRORS, LAST_XID));
    for (GpuField field : GpuField.values()) {
      names.add(field.metricName());
    }
    return Set.copyOf(names);
  }

  private final GpuRefresher refresher;
  private final Supplier<Map<Long, KernelRef>> kernelsByPid;
  private final Supplier<XidCounts> xids;

  public GpuCollector(GpuRefresher refresher, Supplier<Map<Long, KernelRef>> kernelsByPid) {
    this(refresher, kernelsByPid, () -> XidCounts.EMPTY);
  }

  /** With the XID counts of a {@link XidWatcher} ({@code xids::current}). */
  public GpuCollector(GpuRefresher refresher, Supplier<Map<Long, KernelRef>> kernelsByPid,
      Supplier<XidCounts> xids) {
    this.refresher = refresher;
    this.kernelsByPid = kernelsByPid;
    this.xids = xids;
  }

  @Override
  public String collectorName() {
    return "gpu";
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
    out.add(gauge(NVML_AVAILABLE,
        "Whether NVML could be loaded and read at the last refresh (1) or not (0).", null,
        List.of(point(state.available() ? 1 : 0, Labels.EMPTY))));
    out.add(gauge("sidecar_gpu_snapshot_age_seconds",
        "Time since the GPU refresher last finished a pass over NVML.", Unit.SECONDS,
        List.of(point(ageSeconds(state), Labels.EMPTY))));
    GpuReading reading = state.reading();
    if (reading != null) {
      out.add(new InfoSnapshot(new MetricMetadata(DRIVER_INFO, "NVIDIA driver and NVML versions."),
          List.of(new InfoDataPointSnapshot(Labels.of(
              "driver_version", reading.driverVersion(), "nvml_version", reading.nvmlVersion())))));
      addDeviceFields(reading, out);
      addThrottleReasons(reading, out);
      addNotebookMemory(reading, out);
    }
    addXids(xids.get(), out);
    return new MetricSnapshots(out);
  }

  private static void addDeviceFields(GpuReading reading, List<MetricSnapshot> out) {
    Map<GpuField, List<Double>> values = new EnumMap<>(GpuField.class);
    Map<GpuField, List<Labels>> labels = new EnumMap<>(GpuField.class);
    for (GpuReading.Device device : reading.devices()) {
      Labels deviceLabels = deviceLabels(device);
      for (var e : device.values().entrySet()) {
        values.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
        labels.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(deviceLabels);
      }
    }
    for (GpuField field : GpuField.values()) {
      List<Double> v = values.get(field);
      if (v == null) {
        continue; // no GPU supports it: the family is left out rather than shown empty
      }
      List<Labels> l = labels.get(field);
      Unit unit = unitOf(field.metricName());
      if (field.isCounter()) {
        List<CounterDataPointSnapshot> points = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
          points.add(new CounterDataPointSnapshot(v.get(i), l.get(i), null, 0L));
        }
        out.add(new CounterSnapshot(metadata(field.metricName(), field.help(), unit), points));
      } else {
        List<GaugeDataPointSnapshot> points = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
          points.add(point(v.get(i), l.get(i)));
        }
        out.add(gauge(field.metricName(), field.help(), unit, points));
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
        points.add(point(reason.isActiveIn(device.throttleReasons()) ? 1 : 0,
            deviceLabels(device).add("reason", reason.label())));
      }
    }
    if (!points.isEmpty()) {
      out.add(gauge(THROTTLE_REASON,
          "Whether a reason is currently holding the GPU's clocks down (1) or not (0).", null, points));
    }
  }

  private void addNotebookMemory(GpuReading reading, List<MetricSnapshot> out) {
    Map<Long, KernelRef> kernels = kernelsByPid.get();
    if (kernels.isEmpty()) {
      return;
    }
    List<GaugeDataPointSnapshot> points = new ArrayList<>();
    for (GpuReading.Device device : reading.devices()) {
      if (device.processes() == null) {
        continue;
      }
      Map<KernelRef, Long> perKernel = new LinkedHashMap<>();
      for (GpuReading.GpuProcess process : device.processes()) {
        kernelOf(process.pid(), kernels).ifPresent(
            ref -> perKernel.merge(ref, process.usedMemoryBytes(), Long::sum));
      }
      for (var e : perKernel.entrySet()) {
        points.add(point(e.getValue(), deviceLabels(device)
            .add("kernel_id", e.getKey().kernelId()).add("notebook", e.getKey().notebook())));
      }
    }
    if (!points.isEmpty()) {
      out.add(gauge(NOTEBOOK_MEMORY,
          "GPU memory held by a notebook kernel's process or its descendants.", Unit.BYTES, points));
    }
  }

  /** Counted since start-up, so they stay when a later refresh fails; absent until a first event. */
  private static void addXids(XidCounts counts, List<MetricSnapshot> out) {
    if (counts.counts().isEmpty()) {
      return;
    }
    List<CounterDataPointSnapshot> points = new ArrayList<>();
    for (XidCounts.Count c : counts.counts()) {
      points.add(new CounterDataPointSnapshot(c.value(), xidLabels(c.device()).add("xid", c.xid()), null, 0L));
    }
    out.add(new CounterSnapshot(new MetricMetadata(XID_ERRORS,
        "XID critical errors the driver reported for the GPU since the sidecar started, by XID code."),
        points));
    List<GaugeDataPointSnapshot> last = new ArrayList<>();
    for (XidCounts.Last l : counts.last()) {
      last.add(point(l.xid(), xidLabels(l.device())));
    }
    out.add(gauge(LAST_XID, "The XID code of the GPU's latest XID critical error.", null, last));
  }

  private static Labels xidLabels(XidCounts.Device device) {
    return Labels.of("gpu", Integer.toString(device.gpu()), "uuid", device.uuid(), "name", device.name());
  }

  /** The kernel owning a GPU process: the process itself or one of its ancestors. */
  private static Optional<KernelRef> kernelOf(long pid, Map<Long, KernelRef> kernels) {
    KernelRef direct = kernels.get(pid);
    if (direct != null) {
      return Optional.of(direct);
    }
    Optional<ProcessHandle> current = ProcessHandle.of(pid);
    for (int depth = 0; depth < MAX_ANCESTRY && current.isPresent(); depth++) {
      current = current.get().parent();
      if (current.isPresent() && kernels.containsKey(current.get().pid())) {
        return Optional.of(kernels.get(current.get().pid()));
      }
    }
    return Optional.empty();
  }

  private static Labels deviceLabels(GpuReading.Device device) {
    return Labels.of("gpu", Integer.toString(device.index()), "uuid", device.uuid(), "name", device.name());
  }

  private static double ageSeconds(GpuState state) {
    return Math.max(0, (System.nanoTime() - state.takenAtNanos()) / 1e9);
  }

  private static Unit unitOf(String name) {
    for (Unit unit : List.of(Unit.RATIO, Unit.BYTES, Unit.CELSIUS, Unit.JOULES, Unit.SECONDS)) {
      if (name.endsWith("_" + unit)) {
        return unit;
      }
    }
    return null;
  }

  private static MetricMetadata metadata(String name, String help, Unit unit) {
    return unit == null ? new MetricMetadata(name, help) : new MetricMetadata(name, help, unit);
  }

  private static GaugeSnapshot gauge(String name, String help, Unit unit,
      List<GaugeDataPointSnapshot> points) {
    return new GaugeSnapshot(metadata(name, help, unit), points);
  }

  private static GaugeDataPointSnapshot point(double value, Labels labels) {
    return new GaugeDataPointSnapshot(value, labels, null);
  }
}
