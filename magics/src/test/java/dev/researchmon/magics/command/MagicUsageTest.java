package dev.researchmon.magics.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.researchmon.magics.TestContext;
import dev.researchmon.magics.api.Magic;
import dev.researchmon.magics.api.MagicCall;
import dev.researchmon.magics.api.MagicUsageException;
import dev.researchmon.magics.monitor.MonitoringSession;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every magic answers a wrong or missing argument with its usage line. */
class MagicUsageTest {
    private final MonitoringSession session = new MonitoringSession(Map.of(), new PrometheusRegistry());
    private final TestContext ctx = new TestContext("k1", "nb.ipynb");

    private static MagicCall line(String name, String argLine) {
        List<String> args =
                argLine.isBlank() ? List.of() : Arrays.asList(argLine.trim().split("\\s+"));
        return new MagicCall(name, argLine, args, null);
    }

    private void assertUsage(Magic magic, MagicCall call, String mentions) {
        var e = assertThrows(MagicUsageException.class, () -> magic.execute(call, ctx));
        assertTrue(e.getMessage().startsWith("usage: " + magic.usage() + " ("), e.getMessage());
        assertTrue(e.getMessage().contains(mentions), e.getMessage());
    }

    @Test
    void monitoring_withoutOrWithUnknownWord_printsUsage() {
        MonitoringMagic m = new MonitoringMagic(session);
        assertUsage(m, line("monitoring", ""), "on|off|status");
        assertUsage(m, line("monitoring", "maybe"), "\"maybe\"");
        assertUsage(m, line("monitoring", "on now"), "on|off|status");
    }

    @Test
    void gpu_withArguments_printsUsage() {
        assertUsage(new GpuMagic(session), line("gpu", "0"), "no arguments");
    }

    @Test
    void dashboard_unknownPanel_printsUsageWithWhatComesClose() {
        DashboardMagic d = new DashboardMagic(session);
        assertUsage(d, line("dashboard", "Kernel"), "did you mean: Live kernels, Kernel memory, Kernel CPU (cores))");
        assertUsage(d, line("dashboard", "xyzzy"), "rows: Overview, ");
    }

    @Test
    void dashboard_badOptions_printUsageNamingThem() {
        DashboardMagic d = new DashboardMagic(session);
        assertUsage(d, line("dashboard", "--range"), "--range needs a value");
        assertUsage(d, line("dashboard", "--range soon"), "--range soon is not a duration");
        assertUsage(d, line("dashboard", "--range 10s"), "shorter than");
        assertUsage(d, line("dashboard", "--notebook mine"), "--notebook takes this or all, not mine");
        assertUsage(d, line("dashboard", "GPUs --colour red"), "unknown option --colour");
    }

    @Test
    void timed_withoutName_printsUsage() {
        assertUsage(new TimedMagic(session), new MagicCall("timed", "", List.of(), "1+1"), "%%timed NAME");
    }

    @Test
    void timed_withInvalidName_printsUsageNamingIt() {
        assertUsage(new TimedMagic(session), new MagicCall("timed", "2fast", List.of("2fast"), "1+1"), "\"2fast\"");
        assertUsage(new TimedMagic(session), new MagicCall("timed", "a.b", List.of("a.b"), "1+1"), "\"a.b\"");
    }

    @Test
    void timed_withTheNameOfABuiltInMetric_printsUsageInsteadOfAStackTrace() {
        assertUsage(
                new TimedMagic(session),
                new MagicCall(
                        "timed", "notebook_cell_duration_seconds", List.of("notebook_cell_duration_seconds"), "1"),
                "cannot be used");
    }

    @Test
    void timed_recordsTheBodysDurationEvenWhenItFails() {
        TimedMagic m = new TimedMagic(session);
        ctx.evaluatingWith(code -> {
            throw new dev.researchmon.magics.api.MagicException("boom");
        });
        assertThrows(
                dev.researchmon.magics.api.MagicException.class,
                () -> m.execute(new MagicCall("timed", "epoch_seconds", List.of("epoch_seconds"), "work();"), ctx));
        assertEquals(List.of("work();"), ctx.evaluated);
        var snapshot = session.scrape().stream()
                .filter(s -> s.getMetadata().getPrometheusName().equals("epoch_seconds"))
                .findFirst()
                .orElseThrow();
        assertEquals(
                1,
                ((io.prometheus.metrics.model.snapshots.HistogramSnapshot) snapshot)
                        .getDataPoints()
                        .get(0)
                        .getCount());
    }

    @Test
    void malformedServiceUrl_isOneSentenceNamingTheVariable() {
        MonitoringSession bad = new MonitoringSession(
                Map.of("RESEARCH_MONITOR_PROMETHEUS_URL", "localhost:9090"), new PrometheusRegistry());
        var e = assertThrows(
                dev.researchmon.magics.api.MagicException.class,
                () -> new MetricsMagic(bad).execute(line("metrics", "query up"), ctx));
        assertTrue(e.getMessage().contains("RESEARCH_MONITOR_PROMETHEUS_URL"), e.getMessage());
    }
}
