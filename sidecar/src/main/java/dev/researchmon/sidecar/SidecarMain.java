package dev.researchmon.sidecar;

import dev.researchmon.report.SidecarEndpoints;
import dev.researchmon.sidecar.notebook.ReportLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bin/metrics-sidecar}: parses the command line and runs a {@link Sidecar} until killed.
 *
 * <pre>{@code
 * bin/metrics-sidecar --port 9464 --bind 0.0.0.0 --nvml-library /usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1
 * }</pre>
 */
@Command(
        name = "metrics-sidecar",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Serves /metrics for Prometheus: GPUs through NVML, the metrics live notebook kernels report,",
            "and the sidecar's own JVM and process metrics. Kernel reports are accepted from loopback only."
        })
public final class SidecarMain implements Callable<Integer> {

    /** Below this a default exposition bound holds too little to be of use: start-up fails instead. */
    static final long MIN_EXPOSITION_BYTES = 1L << 20;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--port",
            defaultValue = "" + SidecarEndpoints.DEFAULT_PORT,
            description = "TCP port (default ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(
            names = "--bind",
            defaultValue = "127.0.0.1",
            description = "Address to listen on (default ${DEFAULT-VALUE}; 0.0.0.0 in a container so "
                    + "Prometheus can scrape). Reports stay loopback-only either way.")
    String bind;

    @Option(
            names = "--nvml-library",
            paramLabel = "PATH",
            description = "NVML library to load instead of libnvidia-ml.so.1 from the loader's path.")
    Path nvmlLibrary;

    @Option(
            names = "--token-file",
            paramLabel = "PATH",
            description = "Report token file (default $RESEARCH_MONITOR_HOME/sidecar.token or "
                    + "~/.local/share/research-monitor/sidecar.token); created 0600 if absent.")
    Path tokenFile;

    @Option(
            names = "--gpu-interval",
            defaultValue = "2",
            paramLabel = "SECONDS",
            description = "Seconds between two GPU refreshes (default ${DEFAULT-VALUE}).")
    double gpuIntervalSeconds;

    @Option(
            names = "--kernel-ttl",
            defaultValue = "30",
            paramLabel = "SECONDS",
            description = "Forget a kernel that has not reported for this long (default ${DEFAULT-VALUE}).")
    double kernelTtlSeconds;

    @Option(
            names = "--max-series-per-kernel",
            defaultValue = "2000",
            description = "Series kept per kernel (default ${DEFAULT-VALUE}).")
    int maxSeriesPerKernel;

    @Option(
            names = "--max-series",
            defaultValue = "50000",
            description = "Series kept over all kernels (default ${DEFAULT-VALUE}).")
    int maxSeriesTotal;

    @Option(
            names = "--max-report-bytes",
            defaultValue = "1048576",
            description = "Largest report body accepted (default ${DEFAULT-VALUE}).")
    long maxReportBytes;

    @Option(
            names = "--max-label-length",
            defaultValue = "256",
            description = "Longest label name or value kept (default ${DEFAULT-VALUE}).")
    int maxLabelLength;

    @Option(
            names = "--max-exposition-bytes",
            paramLabel = "BYTES",
            description = "Bytes the kernels' series may take on /metrics together (default: what the heap "
                    + "holds, see README; 16 MiB at the launcher's heap); series past it are dropped.")
    Long maxExpositionBytes;

    @Option(
            names = "--scrape-interval",
            paramLabel = "SECONDS",
            split = ",",
            description = "Scrape interval of each Prometheus that scrapes this sidecar (default 15); a gone "
                    + "kernel's last values stay for the longest one plus a margin, so each reads them once.")
    List<Double> scrapeIntervals;

    @Override
    public Integer call() throws Exception {
        SidecarOptions options = toOptions();
        Sidecar sidecar = Sidecar.start(options);
        Runtime.getRuntime().addShutdownHook(new Thread(sidecar::close, "sidecar-shutdown"));
        // Tests and launchers wait for this exact line to learn the port (useful with --port 0).
        System.out.println("metrics-sidecar listening on " + options.bind() + ":" + sidecar.port());
        System.out.flush();
        new CountDownLatch(1).await();
        return 0;
    }

    SidecarOptions toOptions() {
        if (port < 0 || port > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port must be 0..65535, was " + port);
        }
        if (!(gpuIntervalSeconds > 0)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--gpu-interval must be positive");
        }
        double longestInterval = ReportLimits.DEFAULT_SCRAPE_INTERVAL.toMillis() / 1000.0;
        if (scrapeIntervals != null && !scrapeIntervals.isEmpty()) {
            longestInterval = 0;
            for (double interval : scrapeIntervals) {
                if (!(interval > 0)) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--scrape-interval must be positive");
                }
                longestInterval = Math.max(longestInterval, interval);
            }
        }
        ReportLimits limits;
        try {
            limits = new ReportLimits(
                    maxReportBytes,
                    maxSeriesPerKernel,
                    maxSeriesTotal,
                    maxLabelLength,
                    ReportLimits.DEFAULTS.maxKernels(),
                    Duration.ofMillis((long) (kernelTtlSeconds * 1000)),
                    maxExpositionBytes != null ? maxExpositionBytes : 1,
                    ReportLimits.keepGoneFor(Duration.ofMillis((long) (longestInterval * 1000))));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--kernel-ttl, --max-* must be positive");
        }
        limits = fitToHeap(limits, Runtime.getRuntime().maxMemory());
        Path token = tokenFile != null ? tokenFile : SidecarEndpoints.defaultTokenFile(System.getenv());
        return new SidecarOptions(
                port,
                bind,
                Optional.ofNullable(nvmlLibrary),
                token,
                on(SourceCollector.GPU),
                on(SourceCollector.NOTEBOOK),
                on(SourceCollector.JVM),
                Duration.ofMillis((long) (gpuIntervalSeconds * 1000)),
                limits);
    }

    /**
     * The limits with the exposition bound the heap holds, or a usage error naming the heap that the
     * limits asked for would need: a sidecar must never start with limits it cannot hold.
     */
    ReportLimits fitToHeap(ReportLimits limits, long maxHeap) {
        String advice = " (give more with SIDECAR_JAVA_OPTS=-Xmx..., or lower --max-series, "
                + "--max-report-bytes, --max-exposition-bytes)";
        if (maxExpositionBytes == null) {
            long fits = HeapBudget.maxExpositionBytesFor(maxHeap, limits);
            if (fits < MIN_EXPOSITION_BYTES) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        String.format(
                                "the heap (%d MiB) cannot hold these limits: they need %d MiB%s",
                                maxHeap >> 20,
                                HeapBudget.bytesNeeded(limits.withMaxExpositionBytes(MIN_EXPOSITION_BYTES)) >> 20,
                                advice));
            }
            return limits.withMaxExpositionBytes(fits);
        }
        long needed = HeapBudget.bytesNeeded(limits);
        if (needed > maxHeap) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    String.format(
                            "the heap (%d MiB) cannot hold these limits: they need %d MiB%s",
                            maxHeap >> 20, needed >> 20, advice));
        }
        return limits;
    }

    /** Whether {@code --no-collector.<name>} was left out. */
    private boolean on(SourceCollector collector) {
        OptionSpec off = spec.findOption(collector.offSwitch());
        return off == null || !Boolean.TRUE.equals(off.getValue());
    }

    /**
     * The command line of {@code main}, with a {@code --no-collector.<name>} switch for every
     * collector of {@link SourceCollector}, so that a new collector gets its switch without more code.
     */
    public static CommandLine commandLine(SidecarMain main) {
        CommandLine cli = new CommandLine(main);
        for (SourceCollector collector : SourceCollector.all()) {
            cli.getCommandSpec()
                    .addOption(OptionSpec.builder(collector.offSwitch())
                            .type(boolean.class)
                            .arity("0")
                            .description(collector.offDescription())
                            .build());
        }
        return cli;
    }

    public static void main(String[] args) {
        CommandLine cli = commandLine(new SidecarMain());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("metrics-sidecar: " + e.getMessage());
            return 1;
        });
        System.exit(cli.execute(args));
    }
}
