package dev.researchmon.magics.monitor;

import dev.researchmon.magics.MonitoringSettings;
import dev.researchmon.magics.api.CellListener;
import dev.researchmon.magics.api.CellOutcome;
import dev.researchmon.magics.api.CellUsage;
import dev.researchmon.magics.api.KernelIdentity;
import dev.researchmon.magics.api.MagicContext;
import dev.researchmon.magics.api.MagicException;
import dev.researchmon.magics.cost.CellCost;
import dev.researchmon.magics.cost.CellCostMeter;
import dev.researchmon.magics.cost.CellFooter;
import dev.researchmon.magics.cost.CellGpuSpending;
import dev.researchmon.magics.cost.CellHistory;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This kernel's monitoring: the built-in metrics, the reporter while monitoring is on, and the
 * {@code %%timed} histograms. One per kernel, shared by the magics.
 *
 * <pre>{@code
 * MonitoringSession session = new MonitoringSession(System.getenv(), PrometheusRegistry.defaultRegistry);
 * String said = session.on(ctx);    // finds or starts the sidecar, starts reporting
 * session.off(ctx);                 // stops reporting; the sidecar forgets this kernel
 * }</pre>
 */
public final class MonitoringSession {

    /** How often reports go out while nothing happens; the sidecar forgets a kernel after 30 s. */
    static final Duration REPORT_INTERVAL = Duration.ofSeconds(5);
    /** Reports after cells are at least this far apart: quick cells in a row share one. */
    static final Duration MIN_GAP = Duration.ofSeconds(1);

    static final Duration SIDECAR_START_WAIT = Duration.ofSeconds(30);

    private final Map<String, String> env;
    private final PrometheusRegistry notebookRegistry;
    private final NotebookMetrics metrics = new NotebookMetrics(Clock.systemUTC());
    private final SidecarProbe probe = new SidecarProbe(Duration.ofSeconds(1));
    private final Map<String, Histogram> timed = new ConcurrentHashMap<>();

    private final CellHistory history = new CellHistory();
    private final CellGpuSpending gpuSpending = new CellGpuSpending();

    // read on the cell's path without the lock: written under it, swapped whole
    private volatile Reporter reporter;
    private volatile boolean cellsOn;
    private volatile URI sidecarUrl;
    private CostListener listener;
    private SidecarLauncher.Started startedSidecar;

    /** A session reporting {@code notebookRegistry} to the sidecar the environment names. */
    public MonitoringSession(Map<String, String> env, PrometheusRegistry notebookRegistry) {
        this.env = Map.copyOf(env);
        this.notebookRegistry = notebookRegistry;
    }

    /** The settings from the environment; a malformed variable is a one-sentence error. */
    public MonitoringSettings settings() throws MagicException {
        try {
            return MonitoringSettings.fromEnvironment(env);
        } catch (IllegalArgumentException e) {
            throw new MagicException(e.getMessage());
        }
    }

    /**
     * Turns monitoring on: makes sure a sidecar answers (starting one if needed), counts cells from
     * now on and reports every few seconds.
     *
     * @return what to tell the user
     */
    public synchronized String on(MagicContext ctx) throws MagicException {
        MonitoringSettings settings = settings();
        if (reporter != null) {
            return "Monitoring is already on, reporting to the sidecar at " + settings.sidecarUrl() + ".";
        }
        String where;
        if (probe.answers(settings.sidecarUrl())) {
            where = "reporting to the sidecar at " + settings.sidecarUrl() + ".";
        } else {
            startedSidecar = new SidecarLauncher(settings, env, probe).start(SIDECAR_START_WAIT);
            where = "no sidecar answered, so one was started at " + settings.sidecarUrl() + " (pid "
                    + startedSidecar.pid() + ", log " + startedSidecar.log() + "); it keeps running after this"
                    + " kernel ends.";
        }
        ReportSink sink = sidecarSink(settings, ctx);
        Reporter r = new Reporter(this::scrape, sink, REPORT_INTERVAL, MIN_GAP, Clock.systemUTC());
        r.start();
        reporter = r;
        sidecarUrl = settings.sidecarUrl();
        listenWhileNeeded(ctx);
        KernelIdentity id = ctx.identity();
        return "Monitoring on: " + where + " This kernel is kernel_id=\"" + id.kernelId() + "\""
                + (id.notebook().isEmpty() ? "" : ", notebook=\"" + id.notebook() + "\"") + ".";
    }

    /**
     * Turns monitoring off: no more reports, and the sidecar drops this kernel's series once every
     * scraper has read their last values (its scrape interval, 20 s by default).
     */
    public synchronized String off(MagicContext ctx) throws MagicException {
        if (reporter == null) {
            return "Monitoring is already off.";
        }
        Reporter r = reporter;
        reporter = null;
        listenWhileNeeded(ctx);
        try {
            r.stop();
        } catch (Exception e) {
            return "Monitoring off. The sidecar could not be told to drop this kernel's series (" + e.getMessage()
                    + "); it forgets them within 30 s.";
        }
        return "Monitoring off: this kernel's series leave the sidecar's /metrics once Prometheus has "
                + "scraped their last values (20 s with the default 15 s scrape interval).";
    }

    /**
     * {@code %monitoring cells on|off}: a cost footer under each cell from the next one on.
     *
     * @return what to tell the user
     */
    public synchronized String cells(boolean on, MagicContext ctx) {
        if (on == cellsOn) {
            return "Cell footers are already " + (on ? "on." : "off.");
        }
        cellsOn = on;
        listenWhileNeeded(ctx);
        if (on && reporter != null) {
            gpuSpending.prime(sidecarUrl, ctx.identity().kernelId());
        }
        return on
                ? "Cell footers on: each cell from the next one ends with its wall and CPU time, allocation,"
                        + " GC pauses and peak heap"
                        + (reporter != null
                                ? ", and GPU time and energy for cells over 0.5 s."
                                : "; GPU time and energy too once %monitoring on reports to the sidecar.")
                : "Cell footers off.";
    }

    public boolean cellsOn() {
        return cellsOn;
    }

    /** The last cells measured, oldest first. */
    public List<CellCost> lastCells() {
        return history.last();
    }

    /** One listener measures cells while reporting or footers need it, none otherwise (its cost is per cell). */
    private void listenWhileNeeded(MagicContext ctx) {
        boolean needed = reporter != null || cellsOn;
        if (needed && listener == null) {
            listener = new CostListener(ctx);
            ctx.addCellListener(listener);
        } else if (!needed && listener != null) {
            ctx.removeCellListener(listener);
            listener = null;
        }
    }

    /**
     * Measures each cell; shows its footer while cells are on, and records it while monitoring is on.
     * The footer has to precede the cell's idle status; the recording waits until the status is out
     * (cellAnswered): after a cell the caches are cold, and the histograms cost an empty cell's round
     * trip ~0.05 ms there (bench/magics/cell_footer_cost.py --accounting).
     */
    private final class CostListener implements CellListener {
        private final MagicContext ctx;
        /**
         * Read once: a kernel's id never changes, and asking for the identity may ask the Jupyter
         * server for the notebook's name (an HTTP call, bounded to a second) on the cell's thread.
         */
        private final String kernelId;

        private final CellCostMeter meter = new CellCostMeter();
        /** The cell measured, until it is recorded once answered; on the kernel's execute thread only. */
        private CellCost unrecorded;

        private boolean footerShown;

        CostListener(MagicContext ctx) {
            this.ctx = ctx;
            this.kernelId = ctx.identity().kernelId();
        }

        @Override
        public void cellStarted(int executionCount) {
            meter.start();
        }

        @Override
        public void cellFinished(int executionCount, CellOutcome outcome, Duration duration) {
            cellFinished(executionCount, outcome, CellUsage.wallOnly(duration));
        }

        @Override
        public void cellFinished(int executionCount, CellOutcome outcome, CellUsage usage) {
            boolean footer = cellsOn && meter.started(); // the cell that turned footers on gets none
            Reporter r = reporter;
            List<CellCost.GpuSpent> gpus =
                    footer && r != null ? gpuSpending.since(sidecarUrl, kernelId, usage.wall()) : List.of();
            CellCost cost = meter.finish(executionCount, outcome, usage, gpus);
            if (footer) {
                ctx.display(CellFooter.render(cost));
            }
            unrecorded = cost;
            footerShown = footer;
        }

        @Override
        public void cellAnswered(int executionCount) {
            CellCost cost = unrecorded;
            if (cost == null) {
                return;
            }
            unrecorded = null;
            if (footerShown) {
                history.add(cost);
            }
            Reporter r = reporter;
            if (r != null) {
                metrics.cellFinished(cost);
                r.nudge();
            }
        }
    }

    public synchronized boolean isOn() {
        return reporter != null;
    }

    /** The reporter's record, empty while monitoring is off. */
    public synchronized Optional<ReporterStatus> reporterStatus() {
        return Optional.ofNullable(reporter).map(Reporter::status);
    }

    /** The sidecar this session started, if it had to. */
    public synchronized Optional<SidecarLauncher.Started> startedSidecar() {
        return Optional.ofNullable(startedSidecar);
    }

    /** Everything this kernel reports: built-ins, {@code %%timed} histograms and the notebook's metrics. */
    public MetricSnapshots scrape() {
        return new CombinedScrape(metrics.registry(), notebookRegistry).get();
    }

    /**
     * The histogram {@code %%timed NAME} records into, created on first use.
     *
     * @throws IllegalArgumentException when client_java refuses the name
     */
    public Histogram timedHistogram(String name) {
        return timed.computeIfAbsent(
                name,
                n -> Histogram.builder()
                        .name(n)
                        .help("Duration of cells run with %%timed " + n)
                        .classicOnly()
                        .classicUpperBounds(NotebookMetrics.CELL_BUCKETS)
                        .register(metrics.registry()));
    }

    private ReportSink sidecarSink(MonitoringSettings settings, MagicContext ctx) {
        var tokenFile = settings.stateDir().resolve(dev.researchmon.report.SidecarEndpoints.TOKEN_FILE_NAME);
        return new SidecarReportSink(
                new dev.researchmon.report.ReportClient(settings.sidecarUrl(), tokenFile), ctx::identity);
    }
}
