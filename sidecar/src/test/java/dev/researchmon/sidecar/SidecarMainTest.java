package dev.researchmon.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.researchmon.sidecar.notebook.ReportLimits;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SidecarMainTest {

    private static CommandLine cli(StringWriter err) {
        CommandLine cli = SidecarMain.commandLine(new SidecarMain());
        cli.setErr(new PrintWriter(err));
        return cli;
    }

    private static SidecarOptions parse(String... args) {
        SidecarMain main = new SidecarMain();
        SidecarMain.commandLine(main).parseArgs(args);
        return main.toOptions();
    }

    @Test
    void defaults_matchTheContract() {
        SidecarOptions o = parse("--token-file", "/tmp/t");
        assertEquals(9464, o.port());
        assertEquals("127.0.0.1", o.bind());
        assertTrue(o.gpu() && o.notebook() && o.jvm());
        assertEquals(Path.of("/tmp/t"), o.tokenFile());
    }

    @Test
    void collectorSwitches_turnCollectorsOff() {
        SidecarOptions o = parse("--no-collector.gpu", "--no-collector.jvm", "--nvml-library", "/x/libnvidia-ml.so.1");
        assertTrue(!o.gpu() && !o.jvm() && o.notebook());
        assertEquals(Path.of("/x/libnvidia-ml.so.1"), o.nvmlLibrary().orElseThrow());
    }

    /** What -Xmx96m (bin/metrics-sidecar) gives as Runtime.maxMemory() with the serial collector. */
    private static final long LAUNCHER_HEAP = 92_733_440L;

    @Test
    void defaultLimits_fitTheLaunchersHeap_withA16MiBExpositionBound() {
        SidecarMain main = new SidecarMain();
        SidecarMain.commandLine(main).parseArgs();
        ReportLimits fitted = main.fitToHeap(ReportLimits.DEFAULTS, LAUNCHER_HEAP);
        assertEquals(16L << 20, fitted.maxExpositionBytes());
        assertTrue(HeapBudget.bytesNeeded(fitted) <= LAUNCHER_HEAP, HeapBudget.bytesNeeded(fitted) + " needed");
    }

    @Test
    void limitsTheHeapCannotHold_areAUsageErrorNamingTheHeapNeeded() {
        SidecarMain main = new SidecarMain();
        SidecarMain.commandLine(main).parseArgs("--max-series", "1000000");
        CommandLine.ParameterException e = assertThrows(
                CommandLine.ParameterException.class,
                () -> main.fitToHeap(ReportLimits.DEFAULTS.withMaxSeriesTotal(1_000_000), LAUNCHER_HEAP));
        assertTrue(
                e.getMessage().matches("the heap \\(88 MiB\\) cannot hold these limits: they need \\d+ MiB .*"),
                e.getMessage());
    }

    @Test
    void anExplicitExpositionBoundOverTheHeap_isAUsageError() {
        SidecarMain main = new SidecarMain();
        SidecarMain.commandLine(main).parseArgs("--max-exposition-bytes", "200000000");
        assertThrows(
                CommandLine.ParameterException.class,
                () -> main.fitToHeap(ReportLimits.DEFAULTS.withMaxExpositionBytes(200_000_000), LAUNCHER_HEAP));
    }

    @Test
    void scrapeIntervals_setHowLongGoneKernelsStay() {
        SidecarOptions o = parse("--scrape-interval", "15,30");
        assertEquals(java.time.Duration.ofSeconds(35), o.limits().keepGone());
        assertEquals(
                java.time.Duration.ofNanos(1_333_333_333),
                parse("--scrape-interval", "1").limits().keepGone());
    }

    @Test
    void everyCollector_hasAnOffSwitch_madeFromTheOneList() {
        String usage = SidecarMain.commandLine(new SidecarMain()).getUsageMessage();
        for (SourceCollector c : SourceCollector.all()) {
            assertTrue(usage.contains(c.offSwitch()), c.offSwitch() + " missing from\n" + usage);
        }
        SidecarOptions notebookOff = parse("--no-collector.notebook");
        assertTrue(notebookOff.gpu() && !notebookOff.notebook() && notebookOff.jvm());
    }

    @Test
    void portOutOfRange_isAUsageError() {
        StringWriter err = new StringWriter();
        int code = cli(err).execute("--port", "70000");
        assertEquals(2, code);
        assertTrue(err.toString().contains("--port must be 0..65535"), err.toString());
    }

    @Test
    void nonNumericPort_isAUsageError() {
        StringWriter err = new StringWriter();
        assertEquals(2, cli(err).execute("--port", "http"));
        assertTrue(err.toString().contains("Invalid value for option '--port'"), err.toString());
    }

    @Test
    void zeroGpuInterval_isAUsageError() {
        StringWriter err = new StringWriter();
        assertEquals(2, cli(err).execute("--gpu-interval", "0"));
        assertTrue(err.toString().contains("--gpu-interval must be positive"), err.toString());
    }

    @Test
    void negativeBound_isAUsageError() {
        StringWriter err = new StringWriter();
        assertEquals(2, cli(err).execute("--max-series", "-1"));
        assertTrue(err.toString().contains("must be positive"), err.toString());
    }

    @Test
    void unknownOption_isAUsageError() {
        StringWriter err = new StringWriter();
        assertEquals(2, cli(err).execute("--colector.gpu"));
        assertTrue(err.toString().contains("Unknown option"), err.toString());
    }
}
