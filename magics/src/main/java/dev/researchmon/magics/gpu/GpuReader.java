package dev.researchmon.magics.gpu;

import dev.researchmon.magics.api.MagicException;
import io.prometheus.metrics.expositionformats.generated.Metrics;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Reads the sidecar's {@code /metrics} in the Prometheus protobuf format and turns the {@code gpu_*}
 * families into a {@link GpuState}. Protobuf, parsed with the classes client_java ships, spares us a
 * hand-written text parser.
 *
 * <pre>{@code
 * GpuState now = new GpuReader(Duration.ofSeconds(3)).read(URI.create("http://127.0.0.1:9464"));
 * }</pre>
 */
public final class GpuReader {
    static final String PROTOBUF =
            "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily;" + " encoding=delimited";

    /** The sidecar's family that says which notebooks hold GPU memory. */
    static final String NOTEBOOK_MEMORY = "gpu_notebook_memory_used_bytes";

    private final HttpClient http;
    private final Duration timeout;

    public GpuReader(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public GpuState read(URI sidecar) throws MagicException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(sidecar + "/metrics"))
                .timeout(timeout)
                .header("Accept", PROTOBUF)
                .GET()
                .build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new MagicException(
                            "The sidecar at " + sidecar + " answered HTTP " + response.statusCode() + " for /metrics.");
                }
                String type = response.headers().firstValue("Content-Type").orElse("");
                if (!type.startsWith("application/vnd.google.protobuf")) {
                    throw new MagicException("The sidecar at " + sidecar + " did not answer in the protobuf format"
                            + " (it sent " + type + ").");
                }
                return parse(body);
            }
        } catch (IOException e) {
            throw new MagicException(
                    "The sidecar does not answer at " + sidecar + "; run %monitoring on to start one.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MagicException("Interrupted while reading the sidecar at " + sidecar + ".");
        }
    }

    /** Parses length-delimited {@code MetricFamily} messages. */
    public static GpuState parse(InputStream in) throws IOException {
        Map<String, Metrics.MetricFamily> families = new HashMap<>();
        Metrics.MetricFamily family;
        while ((family = Metrics.MetricFamily.parseDelimitedFrom(in)) != null) {
            if (family.getName().startsWith("gpu_")) {
                families.put(family.getName(), family);
            }
        }
        return fromFamilies(families);
    }

    static GpuState fromFamilies(Map<String, Metrics.MetricFamily> families) {
        Map<String, GpuBuilder> gpus = new LinkedHashMap<>();
        readPerGpu(families, "gpu_utilization_ratio", gpus, (b, v) -> b.utilization = v);
        readPerGpu(families, "gpu_memory_used_bytes", gpus, (b, v) -> b.memoryUsed = v);
        readPerGpu(families, "gpu_memory_total_bytes", gpus, (b, v) -> b.memoryTotal = v);
        readPerGpu(families, "gpu_temperature_celsius", gpus, (b, v) -> b.temperature = v);
        readPerGpu(families, "gpu_power_watts", gpus, (b, v) -> b.power = v);
        List<GpuState.Gpu> list = gpus.values().stream()
                .map(GpuBuilder::build)
                .sorted(Comparator.comparing((GpuState.Gpu g) -> numericOrMax(g.index()))
                        .thenComparing(GpuState.Gpu::index))
                .toList();
        List<GpuState.Holder> holders = new ArrayList<>();
        Metrics.MetricFamily perNotebook = families.get(NOTEBOOK_MEMORY);
        if (perNotebook != null) {
            for (Metrics.Metric m : perNotebook.getMetricList()) {
                Map<String, String> labels = labels(m);
                holders.add(new GpuState.Holder(
                        labels.getOrDefault("gpu", ""),
                        labels.getOrDefault("notebook", ""),
                        labels.getOrDefault("kernel_id", ""),
                        value(m)));
            }
        }
        return new GpuState(list, holders, spent(families));
    }

    /** Per kernel and GPU, joules and busy seconds (other and idle carry no kernel_id: left out). */
    private static List<GpuState.Spent> spent(Map<String, Metrics.MetricFamily> families) {
        Map<List<String>, double[]> byKernel = new LinkedHashMap<>();
        collect(families, "gpu_notebook_energy_joules", byKernel, 0);
        collect(families, "gpu_notebook_busy_seconds", byKernel, 1);
        List<GpuState.Spent> out = new ArrayList<>();
        byKernel.forEach((k, v) -> out.add(new GpuState.Spent(k.get(0), k.get(1), v[0], v[1])));
        return out;
    }

    private static void collect(
            Map<String, Metrics.MetricFamily> families, String name, Map<List<String>, double[]> into, int slot) {
        Metrics.MetricFamily family = families.getOrDefault(name, families.get(name + "_total"));
        if (family == null) {
            return;
        }
        for (Metrics.Metric m : family.getMetricList()) {
            Map<String, String> labels = labels(m);
            String kernel = labels.get("kernel_id");
            if (kernel != null) {
                into.computeIfAbsent(List.of(labels.getOrDefault("gpu", ""), kernel), k -> new double[2])[slot] =
                        value(m);
            }
        }
    }

    private interface Setter {
        void set(GpuBuilder b, OptionalDouble value);
    }

    private static void readPerGpu(
            Map<String, Metrics.MetricFamily> families, String name, Map<String, GpuBuilder> gpus, Setter setter) {
        Metrics.MetricFamily family = families.get(name);
        if (family == null) {
            return;
        }
        for (Metrics.Metric m : family.getMetricList()) {
            Map<String, String> labels = labels(m);
            String index = labels.getOrDefault("gpu", "");
            GpuBuilder b = gpus.computeIfAbsent(index, i -> new GpuBuilder(i));
            b.name = labels.getOrDefault("name", b.name);
            b.uuid = labels.getOrDefault("uuid", b.uuid);
            setter.set(b, OptionalDouble.of(value(m)));
        }
    }

    private static Map<String, String> labels(Metrics.Metric m) {
        Map<String, String> labels = new HashMap<>();
        m.getLabelList().forEach(l -> labels.put(l.getName(), l.getValue()));
        return labels;
    }

    private static double value(Metrics.Metric m) {
        if (m.hasGauge()) {
            return m.getGauge().getValue();
        }
        if (m.hasCounter()) {
            return m.getCounter().getValue();
        }
        return m.getUntyped().getValue();
    }

    private static long numericOrMax(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private static final class GpuBuilder {
        final String index;
        String name = "";
        String uuid = "";
        OptionalDouble utilization = OptionalDouble.empty();
        OptionalDouble memoryUsed = OptionalDouble.empty();
        OptionalDouble memoryTotal = OptionalDouble.empty();
        OptionalDouble temperature = OptionalDouble.empty();
        OptionalDouble power = OptionalDouble.empty();

        GpuBuilder(String index) {
            this.index = index;
        }

        GpuState.Gpu build() {
            return new GpuState.Gpu(index, name, uuid, utilization, memoryUsed, memoryTotal, temperature, power);
        }
    }
}
