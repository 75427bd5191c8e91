package dev.researchmon.magics.prometheus;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One series of a query result: its labels and its samples, oldest first (one sample for an
 * instant query).
 *
 * @param labels  label name to value, {@code __name__} included when Prometheus returns it
 * @param samples the points
 */
public record Series(SortedMap<String, String> labels, List<Sample> samples) {

    /** A point: Unix time in seconds and the value ({@code NaN}, {@code +Inf} allowed). */
    public record Sample(double time, double value) {}

    public Series {
        labels = new TreeMap<>(labels);
        samples = List.copyOf(samples);
    }

    public static Series of(Map<String, String> labels, List<Sample> samples) {
        return new Series(new TreeMap<>(labels), samples);
    }

    /** {@code name{a="1", b="2"}}, the way Prometheus's UI names a series. */
    public String displayName() {
        String name = labels.getOrDefault("__name__", "");
        String rest = labels.entrySet().stream()
                .filter(e -> !e.getKey().equals("__name__"))
                .map(e -> e.getKey() + "=\"" + e.getValue() + "\"")
                .collect(Collectors.joining(", "));
        if (rest.isEmpty()) {
            return name.isEmpty() ? "{}" : name;
        }
        return name + "{" + rest + "}";
    }
}
