package dev.researchmon.sidecar.notebook;

import dev.researchmon.report.KernelReport;
import dev.researchmon.report.MetricFamily;
import dev.researchmon.report.MetricPoint;
import dev.researchmon.report.ReportAck;
import dev.researchmon.report.ReportMapper;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongPredicate;

/**
 * The live kernels and their latest reports, already turned into labelled client_java snapshots.
 * Writers (report handler threads and the eviction timer) go through synchronized methods; readers
 * (scrapes) get immutable entries and never change anything. Bounds come from
 * {@link ReportLimits}; whatever is over them is dropped and counted.
 *
 * <p>A kernel that is gone (its process exited, or it said {@code DELETE}) keeps its last values
 * for {@link ReportLimits#keepGone()}, so that every scraper reads them once whoever else scrapes.
 *
 * <pre>{@code
 * KernelRegistry kernels = new KernelRegistry(ReportLimits.DEFAULTS, (reason, n) -> {});
 * AcceptResult r = kernels.accept(report);
 * kernels.evictGone(); // on a timer: dead pids are marked gone, then leave with silent kernels
 * }</pre>
 */
public final class KernelRegistry {
    private static final System.Logger LOG = System.getLogger(KernelRegistry.class.getName());

    /**
     * Prefixes of the sidecar's own families (its health and its JVM): a kernel must not shadow them,
     * as a clash would fail the scrape. GPU names are reserved one by one instead (see
     * {@link #KernelRegistry(ReportLimits, DropRecorder, Set)}), so that notebooks keep the
     * {@code gpu_} prefix for metrics of their own.
     */
    private static final List<String> RESERVED_PREFIXES = List.of("sidecar_", "jvm_", "process_");

    /** {@link Entry#goneAtNanos()} of a kernel that is not gone. */
    private static final long ALIVE = Long.MIN_VALUE;

    /**
     * One kernel's accepted state.
     *
     * @param pid the kernel's process id, or {@code null} (then only the TTL forgets it)
     * @param snapshots its families, labelled with {@code kernel_id} and {@code notebook}
     * @param series how many series the snapshots hold, counted against the bounds
     * @param bytes what the snapshots cost on {@code /metrics} ({@link ExpositionCost})
     * @param goneAtNanos when the kernel was found gone, or {@link #ALIVE}
     */
    public record Entry(
            KernelRef ref,
            Long pid,
            long sequence,
            List<MetricSnapshot> snapshots,
            int series,
            long bytes,
            long lastReportNanos,
            long goneAtNanos) {

        public boolean gone() {
            return goneAtNanos != ALIVE;
        }

        Entry goneAt(long nanos) {
            return new Entry(ref, pid, sequence, snapshots, series, bytes, lastReportNanos, nanos);
        }
    }

    private final ReportLimits limits;
    private final DropRecorder drops;
    private final LongPredicate pidAlive;
    private final Set<String> reservedNames;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private volatile long version;
    private int totalSeries; // guarded by this
    private long totalBytes; // guarded by this

    public KernelRegistry(ReportLimits limits, DropRecorder drops) {
        this(limits, drops, Set.of());
    }

    /**
     * @param reservedNames family base names that other collectors of the sidecar expose; reports
     *     of them are dropped and counted as {@link DropReason#RESERVED_NAME}
     */
    public KernelRegistry(ReportLimits limits, DropRecorder drops, Set<String> reservedNames) {
        this(
                limits,
                drops,
                reservedNames,
                pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    /** With a custom liveness check, for processes the sidecar cannot see directly. */
    public KernelRegistry(ReportLimits limits, DropRecorder drops, Set<String> reservedNames, LongPredicate pidAlive) {
        this.limits = limits;
        this.drops = drops;
        this.reservedNames = Set.copyOf(reservedNames);
        this.pidAlive = pidAlive;
    }

    public ReportLimits limits() {
        return limits;
    }

    /** Keeps what fits of a report, replacing the kernel's previous one whole. */
    public synchronized AcceptResult accept(KernelReport report) {
        String kernelId = report.kernelId();
        Entry previous = entries.get(kernelId);
        int reported = countSeries(report.metrics());
        if (previous != null
                && previous.sequence() > report.sequence()
                && previous.pid() != null
                && previous.pid().equals(report.pid())) {
            return drop(DropReason.STALE, reported);
        }
        if (previous == null && entries.size() >= limits.maxKernels()) {
            return drop(DropReason.TOO_MANY_KERNELS, reported);
        }
        KernelRef ref = new KernelRef(kernelId, boundedNotebook(report.notebook()));
        Labels kernelLabels = Labels.of("kernel_id", ref.kernelId(), "notebook", ref.notebook());
        int othersSeries = totalSeries - (previous == null ? 0 : previous.series());
        int totalBudget = Math.max(0, limits.maxSeriesTotal() - othersSeries);
        long othersBytes = totalBytes - (previous == null ? 0 : previous.bytes());
        long bytesBudget = Math.max(0, limits.maxExpositionBytes() - othersBytes);
        long keptBytes = 0;

        Map<DropReason, Integer> dropped = new EnumMap<>(DropReason.class);
        Map<DropReason, Set<String>> examples = new EnumMap<>(DropReason.class);
        List<MetricSnapshot> snapshots = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int kept = 0;
        for (MetricFamily family : report.metrics()) {
            String name = ReportMapper.baseName(family);
            if (isReserved(name)) {
                dropped.merge(DropReason.RESERVED_NAME, family.points().size(), Integer::sum);
                example(examples, DropReason.RESERVED_NAME, name);
                continue;
            }
            if (!names.add(name)) {
                dropped.merge(DropReason.INVALID, family.points().size(), Integer::sum);
                example(examples, DropReason.INVALID, name);
                continue;
            }
            List<MetricPoint> points = new ArrayList<>();
            long familyBytes = ExpositionCost.header(name, family);
            for (MetricPoint point : family.points()) {
                long cost = hasOverlongLabel(point) ? 0 : ExpositionCost.series(name, family.type(), point, ref);
                if (cost == 0) {
                    dropped.merge(DropReason.LABEL_TOO_LONG, 1, Integer::sum);
                    example(examples, DropReason.LABEL_TOO_LONG, name);
                } else if (kept + points.size() >= limits.maxSeriesPerKernel()) {
                    dropped.merge(DropReason.SERIES_PER_KERNEL, 1, Integer::sum);
                    example(examples, DropReason.SERIES_PER_KERNEL, name);
                } else if (kept + points.size() >= totalBudget) {
                    dropped.merge(DropReason.SERIES_TOTAL, 1, Integer::sum);
                    example(examples, DropReason.SERIES_TOTAL, name);
                } else if (keptBytes + familyBytes + cost > bytesBudget) {
                    dropped.merge(DropReason.EXPOSITION_BYTES, 1, Integer::sum);
                    example(examples, DropReason.EXPOSITION_BYTES, name);
                } else {
                    points.add(point);
                    familyBytes += cost;
                }
            }
            if (points.isEmpty() && !family.points().isEmpty()) {
                continue;
            }
            if (keptBytes + familyBytes > bytesBudget) { // a family without series: its header alone
                continue;
            }
            try {
                MetricFamily bounded = new MetricFamily(name, family.help(), family.unit(), family.type(), points);
                snapshots.add(ReportMapper.toSnapshot(bounded, kernelLabels));
                kept += points.size();
                keptBytes += familyBytes;
            } catch (IllegalArgumentException e) {
                dropped.merge(DropReason.INVALID, points.size(), Integer::sum);
                example(examples, DropReason.INVALID, name);
                LOG.log(
                        System.Logger.Level.DEBUG,
                        "kernel " + kernelId + ": family " + name + " dropped: " + e.getMessage());
            }
        }
        entries.put(
                kernelId,
                new Entry(
                        ref,
                        report.pid(),
                        report.sequence(),
                        List.copyOf(snapshots),
                        kept,
                        keptBytes,
                        System.nanoTime(),
                        ALIVE));
        totalSeries = othersSeries + kept;
        totalBytes = othersBytes + keptBytes;
        version++;
        int droppedTotal = 0;
        List<ReportAck.Drop> why = new ArrayList<>();
        for (var e : dropped.entrySet()) {
            drops.dropped(e.getKey(), e.getValue());
            droppedTotal += e.getValue();
            why.add(new ReportAck.Drop(
                    e.getKey().label(), e.getValue(), List.copyOf(examples.getOrDefault(e.getKey(), Set.of()))));
        }
        return new AcceptResult(kept, droppedTotal, why);
    }

    /** Remembers a few family names per reason, for the kernel to show its user. */
    private static void example(Map<DropReason, Set<String>> examples, DropReason reason, String name) {
        Set<String> names = examples.computeIfAbsent(reason, r -> new LinkedHashSet<>());
        if (names.size() < ReportAck.MAX_EXAMPLES) {
            names.add(name);
        }
    }

    /**
     * A kernel said it is going ({@code DELETE}, {@code %monitoring off}): its last values stay for
     * {@link ReportLimits#keepGone()}, then it leaves. True if it was known.
     */
    public synchronized boolean forget(String kernelId) {
        Entry entry = entries.get(kernelId);
        if (entry == null) {
            return false;
        }
        if (limits.keepGone().isZero()) {
            remove(entry);
        } else if (!entry.gone()) {
            entries.put(kernelId, entry.goneAt(System.nanoTime()));
            version++;
        }
        return true;
    }

    /**
     * What the eviction timer runs (never a scrape): a kernel silent past the TTL leaves; a kernel
     * whose process is gone is marked gone; a gone kernel leaves once {@link ReportLimits#keepGone()}
     * has passed, so a kernel that reports and exits between two scrapes (the end of an nbconvert
     * run) still gets its last values to every scraper.
     *
     * @return how many kernels left
     */
    public synchronized int evictGone() {
        long now = System.nanoTime();
        long ttl = limits.kernelTtl().toNanos();
        long keep = limits.keepGone().toNanos();
        int evicted = 0;
        for (Entry entry : List.copyOf(entries.values())) {
            Entry current = entry;
            if (!current.gone() && current.pid() != null && current.pid() > 0 && !pidAlive.test(current.pid())) {
                current = current.goneAt(now);
                entries.put(current.ref().kernelId(), current);
                version++;
            }
            boolean silent = now - current.lastReportNanos() > ttl;
            boolean goneLongEnough = current.gone() && now - current.goneAtNanos() >= keep;
            if (silent || goneLongEnough) {
                remove(current);
                evicted++;
            }
        }
        return evicted;
    }

    private void remove(Entry entry) { // guarded by this
        // identity, not record equality: only the entry looked at goes, never one a report put since
        if (entries.get(entry.ref().kernelId()) == entry) {
            entries.remove(entry.ref().kernelId());
            totalSeries -= entry.series();
            totalBytes -= entry.bytes();
            version++;
        }
    }

    /** The live entries, in no particular order. */
    public Collection<Entry> entries() {
        return List.copyOf(entries.values());
    }

    /** Kernels by process id, for attributing GPU memory. */
    public Map<Long, KernelRef> kernelsByPid() {
        Map<Long, KernelRef> byPid = new HashMap<>();
        for (Entry e : entries.values()) {
            if (e.pid() != null && e.pid() > 0) {
                byPid.put(e.pid(), e.ref());
            }
        }
        return byPid;
    }

    /** Changes whenever an entry is added, replaced or removed (lets scrapes reuse merged output). */
    public long version() {
        return version;
    }

    public synchronized int totalSeries() {
        return totalSeries;
    }

    /** What the kept series cost on {@code /metrics}, at most {@link ReportLimits#maxExpositionBytes()}. */
    public synchronized long totalBytes() {
        return totalBytes;
    }

    private AcceptResult drop(DropReason reason, int series) {
        drops.dropped(reason, series);
        return new AcceptResult(0, series, List.of(new ReportAck.Drop(reason.label(), series, List.of())));
    }

    private static int countSeries(List<MetricFamily> families) {
        int n = 0;
        for (MetricFamily f : families) {
            n += f.points().size();
        }
        return n;
    }

    private boolean isReserved(String name) {
        if (reservedNames.contains(name)) {
            return true;
        }
        for (String prefix : RESERVED_PREFIXES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private boolean hasOverlongLabel(MetricPoint point) {
        int max = limits.maxLabelValueLength();
        for (var label : point.labels().entrySet()) {
            if (label.getKey().length() > max || label.getValue().length() > max) {
                return true;
            }
        }
        return false;
    }

    /** Long notebook paths keep their end (the file name), which tells notebooks apart best. */
    private String boundedNotebook(String notebook) {
        if (notebook == null) {
            return "";
        }
        int max = limits.maxLabelValueLength();
        return notebook.length() <= max ? notebook : notebook.substring(notebook.length() - max);
    }
}
