package dev.researchmon.sidecar.notebook;

import dev.researchmon.report.MetricFamily;
import dev.researchmon.report.MetricPoint;
import dev.researchmon.report.MetricType;
import java.util.List;
import java.util.Map;

/**
 * How many bytes a reported series costs when {@code /metrics} serves it, counted before it is
 * kept, so that a bound on the sum bounds every scrape (and, with the series count, the heap).
 *
 * <p>The count is an upper bound for all three formats: it is the Prometheus text format's size
 * (the largest of them: OpenMetrics differs by a {@code # UNIT} line and {@code # EOF}, counted per
 * family, and protobuf is smaller) with every value at its longest ({@link #VALUE_BYTES}) and with
 * the {@code kernel_id} and {@code notebook} labels the sidecar adds.
 *
 * <pre>{@code
 * long bytes = ExpositionCost.family(name, family, points, kernelRef);
 * }</pre>
 */
public final class ExpositionCost {
    /** The longest a double prints ({@code -1.7976931348623157E308}), plus the space before it. */
    static final int VALUE_BYTES = 25;

    private ExpositionCost() {}

    /**
     * What one kept series of a family costs: every line it produces (histogram buckets and
     * summary quantiles included).
     */
    public static long series(String name, MetricType type, MetricPoint point, KernelRef kernel) {
        long labels = labelsBytes(point.labels(), kernel);
        return switch (type) {
            case COUNTER -> line(name.length() + "_total".length(), labels, 0);
            case INFO -> line(name.length() + "_info".length(), labels, 0);
            case GAUGE, UNKNOWN -> line(name.length(), labels, 0);
            case HISTOGRAM -> {
                int buckets = (point.buckets() == null ? 0 : point.buckets().size()) + 1; // +Inf
                // le="..." holds a double at most VALUE_BYTES long
                long bucketLine = line(name.length() + "_bucket".length(), labels, ",le=\"\"".length() + VALUE_BYTES);
                yield buckets * bucketLine
                        + line(name.length() + "_count".length(), labels, 0)
                        + line(name.length() + "_sum".length(), labels, 0);
            }
            case SUMMARY -> {
                int quantiles =
                        point.quantiles() == null ? 0 : point.quantiles().size();
                long quantileLine = line(name.length(), labels, ",quantile=\"\"".length() + VALUE_BYTES);
                yield quantiles * quantileLine
                        + line(name.length() + "_count".length(), labels, 0)
                        + line(name.length() + "_sum".length(), labels, 0);
            }
        };
    }

    /** The {@code # HELP}, {@code # TYPE} and {@code # UNIT} lines of one family. */
    public static long header(String name, MetricFamily family) {
        int suffixed = name.length() + "_total".length();
        long help = "# HELP ".length() + suffixed + 1 + escapedBytes(family.help() == null ? "" : family.help()) + 1;
        long typeLine = "# TYPE ".length() + suffixed + " histogram\n".length();
        long unit = family.unit() == null ? 0 : "# UNIT ".length() + suffixed + 1 + escapedBytes(family.unit()) + 1;
        return help + typeLine + unit;
    }

    /** {@code name{labels} value\n}, where {@code extraLabelBytes} are labels only this line has. */
    private static long line(int nameBytes, long labelsBytes, long extraLabelBytes) {
        return nameBytes + "{}".length() + labelsBytes + extraLabelBytes + VALUE_BYTES + 1;
    }

    private static long labelsBytes(Map<String, String> labels, KernelRef kernel) {
        long bytes = pair("kernel_id", kernel.kernelId()) + pair("notebook", kernel.notebook());
        for (var label : labels.entrySet()) {
            if (!label.getKey().equals("kernel_id") && !label.getKey().equals("notebook")) {
                bytes += pair(label.getKey(), label.getValue());
            }
        }
        return bytes;
    }

    /** {@code name="value",}: the comma is counted for every pair, an upper bound. */
    private static long pair(String name, String value) {
        return escapedBytes(name) + "=\"\",".length() + escapedBytes(value);
    }

    /** UTF-8 length after the exposition's escapes ({@code \\}, {@code \"}, {@code \n}). */
    static long escapedBytes(String s) {
        long bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' || c == '"' || c == '\n') {
                bytes += 2;
            } else if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++; // the pair is one code point of four bytes
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** The cost of a whole list of families as given (used by tests and the benchmark). */
    public static long families(List<MetricFamily> families, KernelRef kernel) {
        long bytes = 0;
        for (MetricFamily f : families) {
            bytes += header(f.name(), f);
            for (MetricPoint p : f.points()) {
                bytes += series(f.name(), f.type(), p, kernel);
            }
        }
        return bytes;
    }
}
