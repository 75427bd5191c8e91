package dev.researchmon.magics.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.researchmon.magics.api.Display;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** Reads what client_java's own protobuf writer produces, the format the sidecar serves. */
class GpuReaderTest {

    private static GpuState roundTrip(PrometheusRegistry registry) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PrometheusProtobufWriter().write(out, registry.scrape());
        return GpuReader.parse(new ByteArrayInputStream(out.toByteArray()));
    }

    private static Gauge perGpu(PrometheusRegistry r, String name) {
        return Gauge.builder()
                .name(name)
                .help(name)
                .labelNames("gpu", "uuid", "name")
                .register(r);
    }

    @Test
    void twoGpus_becomeTwoRowsInIndexOrder_withTheirReadings() throws Exception {
        PrometheusRegistry r = new PrometheusRegistry();
        Gauge util = perGpu(r, "gpu_utilization_ratio");
        Gauge used = perGpu(r, "gpu_memory_used_bytes");
        Gauge total = perGpu(r, "gpu_memory_total_bytes");
        Gauge temp = perGpu(r, "gpu_temperature_celsius");
        util.labelValues("1", "GPU-b", "Stub H100").set(0.5);
        util.labelValues("0", "GPU-a", "Stub H100").set(0.25);
        used.labelValues("0", "GPU-a", "Stub H100").set(1024.0 * 1024 * 1024);
        total.labelValues("0", "GPU-a", "Stub H100").set(80.0 * 1024 * 1024 * 1024);
        temp.labelValues("0", "GPU-a", "Stub H100").set(41);
        Counter.builder()
                .name("notebook_cells_executed_total")
                .help("x")
                .register(r)
                .inc();

        GpuState state = roundTrip(r);

        assertEquals(2, state.gpus().size());
        GpuState.Gpu first = state.gpus().get(0);
        assertEquals("0", first.index());
        assertEquals("Stub H100", first.name());
        assertEquals("GPU-a", first.uuid());
        assertEquals(OptionalDouble.of(0.25), first.utilizationRatio());
        assertEquals(OptionalDouble.of(41), first.temperatureCelsius());
        assertEquals(OptionalDouble.empty(), first.powerWatts());
        assertEquals(OptionalDouble.empty(), state.gpus().get(1).memoryUsedBytes());

        String text = GpuView.render(state).data().get("text/plain");
        assertTrue(text.contains("25 %"), text);
        assertTrue(text.contains("1024 MiB / 81920 MiB"), text);
        assertTrue(text.contains("N/A"), text);
    }

    @Test
    void perNotebookMemory_showsWhichNotebooksHoldIt() throws Exception {
        PrometheusRegistry r = new PrometheusRegistry();
        perGpu(r, "gpu_memory_used_bytes").labelValues("0", "GPU-a", "Stub").set(3e9);
        Gauge.builder()
                .name(GpuReader.NOTEBOOK_MEMORY)
                .help("x")
                .labelNames("gpu", "uuid", "name", "kernel_id", "notebook")
                .register(r)
                .labelValues("0", "GPU-a", "Stub", "k-1", "train.ipynb")
                .set(512.0 * 1024 * 1024);

        GpuState state = roundTrip(r);

        assertEquals(1, state.holders().size());
        assertEquals(
                new GpuState.Holder("0", "train.ipynb", "k-1", 512.0 * 1024 * 1024),
                state.holders().get(0));
        Display d = GpuView.render(state);
        assertTrue(d.data().get("text/plain").contains("train.ipynb"));
        assertTrue(d.data().get("text/html").contains("<td style=\"text-align:left\">512 MiB</td>"));
    }

    @Test
    void noGpuFamilies_isOneClearLine() throws Exception {
        PrometheusRegistry r = new PrometheusRegistry();
        Counter.builder()
                .name("notebook_cells_executed_total")
                .help("x")
                .register(r)
                .inc();
        Display d = GpuView.render(roundTrip(r));
        assertEquals(GpuView.NO_GPU, d.data().get("text/plain"));
    }
}
