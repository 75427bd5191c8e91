package dev.researchmon.sidecar;

import com.sun.net.httpserver.HttpServer;
import dev.researchmon.report.KernelReport;
import dev.researchmon.report.MetricFamily;
import dev.researchmon.report.MetricPoint;
import dev.researchmon.report.MetricType;
import dev.researchmon.report.ReportCodec;
import dev.researchmon.report.ReportFormatException;
import dev.researchmon.report.SidecarEndpoints;
import dev.researchmon.report.TokenFile;
import dev.researchmon.sidecar.gpu.EnergyLedger;
import dev.researchmon.sidecar.gpu.GpuCollector;
import dev.researchmon.sidecar.gpu.GpuRefresher;
import dev.researchmon.sidecar.gpu.NvmlGpuReader;
import dev.researchmon.sidecar.gpu.NvmlXidEvents;
import dev.researchmon.sidecar.gpu.XidWatcher;
import dev.researchmon.sidecar.http.HealthHandler;
import dev.researchmon.sidecar.http.NotFoundHandler;
import dev.researchmon.sidecar.http.ReportEndpoint;
import dev.researchmon.sidecar.http.ScrapeHandler;
import dev.researchmon.sidecar.notebook.KernelRegistry;
import dev.researchmon.sidecar.notebook.NotebookCollector;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running sidecar: one HTTP server ({@code /metrics}, {@code /-/healthy}, the report endpoint)
 * over one registry holding the enabled collectors, and the timer that forgets gone kernels (a
 * scrape only reads).
 *
 * <pre>{@code
 * try (Sidecar sidecar = Sidecar.start(SidecarOptions.defaults(token).withPort(0))) {
 *   int port = sidecar.port();
 * }
 * }</pre>
 */
public final class Sidecar implements AutoCloseable {
    /** How soon an XID event source that could not be opened (no driver yet) is tried again. */
    private static final Duration XID_RETRY = Duration.ofSeconds(30);
    /** How often gone and silent kernels are looked for; small against any scrape interval. */
    private static final Duration EVICTION_PERIOD = Duration.ofMillis(500);

    private final HttpServer server;
    private final GpuRefresher refresher;
    private final XidWatcher xids;
    private final ExecutorService httpThreads;
    private final ScheduledExecutorService evictor;

    private Sidecar(
            HttpServer server,
            GpuRefresher refresher,
            XidWatcher xids,
            ExecutorService httpThreads,
            ScheduledExecutorService evictor) {
        this.server = server;
        this.refresher = refresher;
        this.xids = xids;
        this.httpThreads = httpThreads;
        this.evictor = evictor;
    }

    public static Sidecar start(SidecarOptions options) throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        SidecarMetrics metrics = SidecarMetrics.register(registry);
        // The order here is the order a scrape runs them in; the runner reports each one's health.
        CollectorRunner collectors = new CollectorRunner();

        KernelRegistry kernels = new KernelRegistry(options.limits(), metrics, GpuCollector.FAMILY_NAMES);
        GpuRefresher refresher = null;
        XidWatcher xids = null;
        if (options.gpu()) {
            // energy is shared between notebooks on the refresher's thread, once per pass, not per scrape
            EnergyLedger ledger = new EnergyLedger(options.notebook() ? kernels::kernelsByPid : Map::of);
            refresher =
                    new GpuRefresher(() -> NvmlGpuReader.open(options.nvmlLibrary()), options.gpuInterval(), ledger);
            xids = new XidWatcher(() -> NvmlXidEvents.open(options.nvmlLibrary()), XID_RETRY);
            GpuCollector gpu =
                    new GpuCollector(refresher, options.notebook() ? kernels::kernelsByPid : Map::of, xids::current);
            collectors.addMonitored(SourceCollector.GPU, gpu);
        }
        String token = null;
        if (options.notebook()) {
            token = TokenFile.readOrCreate(options.tokenFile());
            warmUpReportCodec();
            collectors.add(SourceCollector.NOTEBOOK, new NotebookCollector(kernels));
        }
        if (options.jvm()) {
            // client_java registers the JVM's collectors one by one: a registry of their own makes them
            // one collector the runner can time and guard like the others.
            PrometheusRegistry jvm = new PrometheusRegistry();
            JvmMetrics.builder().register(jvm);
            collectors.add(SourceCollector.JVM, jvm::scrape);
        }
        registry.register(collectors);

        ExecutorService httpThreads = httpExecutor();
        HttpServer server = HttpServer.create(new InetSocketAddress(options.bind(), options.port()), 64);
        server.setExecutor(httpThreads);
        server.createContext(SidecarEndpoints.METRICS_PATH, new ScrapeHandler(registry));
        server.createContext(SidecarEndpoints.HEALTH_PATH, new HealthHandler());
        server.createContext(
                "/",
                token != null
                        ? new ReportEndpoint(kernels, token, metrics)
                        : new NotFoundHandler(
                                "no such resource: the notebook collector is off (--no-collector.notebook)"));
        ScheduledExecutorService evictor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sidecar-evictor");
            t.setDaemon(true);
            return t;
        });
        evictor.scheduleWithFixedDelay(
                () -> evictQuietly(kernels),
                EVICTION_PERIOD.toMillis(),
                EVICTION_PERIOD.toMillis(),
                TimeUnit.MILLISECONDS);
        if (xids != null) {
            xids.start();
        }
        if (refresher != null) {
            refresher.start();
            try {
                // Best effort: lets the first scrape already show GPUs; a hung driver only delays start-up.
                refresher.awaitFirstRefresh(Duration.ofSeconds(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            server.start();
            return new Sidecar(server, refresher, xids, httpThreads, evictor);
        } catch (RuntimeException e) {
            server.stop(0);
            evictor.shutdownNow();
            if (refresher != null) {
                refresher.close();
            }
            if (xids != null) {
                xids.close();
            }
            httpThreads.shutdownNow();
            throw e;
        }
    }

    /**
     * Loads and links the JSON codec now (about half a second of CPU): otherwise the first kernel's
     * first report pays for it, and on a loaded machine that outlasts the kernel client's 2 s timeout.
     */
    private static void warmUpReportCodec() {
        try {
            ReportCodec.decode(ReportCodec.encode(new KernelReport(
                    "warm-up",
                    "",
                    null,
                    0,
                    List.of(new MetricFamily(
                            "warm_up", "", null, MetricType.GAUGE, List.of(MetricPoint.ofValue(Map.of(), 0)))))));
        } catch (ReportFormatException e) {
            throw new IllegalStateException("the report codec cannot read its own output", e);
        }
    }

    /** A failure of one pass is logged and the next pass runs: the timer must never die. */
    private static void evictQuietly(KernelRegistry kernels) {
        try {
            kernels.evictGone();
        } catch (RuntimeException e) {
            System.getLogger(Sidecar.class.getName()).log(System.Logger.Level.WARNING, "evicting kernels failed", e);
        }
    }

    /**
     * A small fixed pool with a bounded queue: a burst of reports waits (the dispatcher runs the
     * overflow itself, which slows accepting) instead of growing threads or memory without bound.
     */
    private static ExecutorService httpExecutor() {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(
                4,
                4,
                60,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(256),
                r -> {
                    Thread t = new Thread(r, "sidecar-http-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                },
                new ThreadPoolExecutor.CallerRunsPolicy());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        evictor.shutdownNow();
        httpThreads.shutdownNow();
        if (refresher != null) {
            refresher.close();
        }
        if (xids != null) {
            xids.close();
        }
    }
}
