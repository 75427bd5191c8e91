package dev.researchmon.magics.render;

import dev.researchmon.magics.prometheus.Series;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The legend rule of every chart: a legend names only what tells the series of a chart apart.
 * Labels whose value is the same on every series (the notebook of a one-notebook chart, the
 * {@code job}, the GPU of a one-GPU machine) are said once, in {@link #common()}, not on every
 * line. A Grafana {@code legendFormat} such as {@code "GPU {{gpu}} used"} is honoured, its
 * placeholders of such shared labels dropped; where two entries would still read the same, the
 * labels that differ between them are added.
 *
 * <pre>{@code
 * Legends l = Legends.of(List.of(new Legends.Entry(okSeries, null), new Legends.Entry(errorSeries, null)));
 * l.names();   // [status="ok", status="error"]
 * l.common();  // notebook_cells_executed_total{kernel_id="k1", notebook="a.ipynb"}
 * }</pre>
 */
public final class Legends {
    /** A series and its panel target's legend format ({@code null} or blank: none). */
    public record Entry(Series series, String format) {}

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}}");
    private static final String NAME = "__name__";

    private final List<String> names;
    private final String common;

    private Legends(List<String> names, String common) {
        this.names = List.copyOf(names);
        this.common = common;
    }

    /** One legend name per entry, in order. */
    public List<String> names() {
        return names;
    }

    /** What all series share, written as a series name ({@code name{label="v", ...}}); {@code ""} when nothing. */
    public String common() {
        return common;
    }

    public static Legends of(List<Entry> entries) {
        Set<String> varying = varyingLabels(entries.stream().map(Entry::series).toList());
        List<String> names = new ArrayList<>();
        for (Entry e : entries) {
            names.add(hasFormat(e) ? formatted(e.format(), e.series(), varying) : byLabels(e.series(), varying));
        }
        // Entries that still read the same get the differing labels their format left out.
        Map<String, List<Integer>> byName = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            byName.computeIfAbsent(names.get(i), k -> new ArrayList<>()).add(i);
        }
        for (List<Integer> same : byName.values()) {
            if (same.size() < 2) {
                continue;
            }
            Set<String> differing = varyingLabels(
                    same.stream().map(i -> entries.get(i).series()).toList());
            for (int i : same) {
                Entry e = entries.get(i);
                Set<String> extra = new TreeSet<>(differing);
                if (hasFormat(e)) {
                    extra.removeAll(placeholders(e.format()));
                }
                String more = labels(e.series(), extra);
                names.set(i, (names.get(i) + (more.isEmpty() ? "" : " {" + more + "}")).strip());
            }
        }
        return new Legends(names, commonName(entries, varying));
    }

    /** Labels (the metric name included) whose value is not the same on every series; absent counts as a value. */
    static Set<String> varyingLabels(List<Series> series) {
        Set<String> all = new TreeSet<>();
        series.forEach(s -> all.addAll(s.labels().keySet()));
        Set<String> varying = new LinkedHashSet<>();
        for (String label : all) {
            String first = series.get(0).labels().get(label);
            for (Series s : series) {
                if (!Objects.equals(first, s.labels().get(label))) {
                    varying.add(label);
                    break;
                }
            }
        }
        return varying;
    }

    private static boolean hasFormat(Entry e) {
        return e.format() != null && !e.format().isBlank();
    }

    private static String formatted(String format, Series s, Set<String> varying) {
        Matcher m = PLACEHOLDER.matcher(format);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String label = m.group(1);
            String value = varying.contains(label) ? s.labels().getOrDefault(label, "") : "";
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString().replaceAll("\\s+", " ").strip();
    }

    private static Set<String> placeholders(String format) {
        Set<String> names = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(format);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** {@code name{a="1"}} of the varying labels; the metric name only when it varies. */
    private static String byLabels(Series s, Set<String> varying) {
        String rest = labels(s, varying);
        if (varying.contains(NAME)) {
            String name = s.labels().getOrDefault(NAME, "");
            return rest.isEmpty() ? name : name + "{" + rest + "}";
        }
        return rest;
    }

    private static String labels(Series s, Set<String> chosen) {
        return s.labels().entrySet().stream()
                .filter(e -> chosen.contains(e.getKey()) && !e.getKey().equals(NAME))
                .map(e -> e.getKey() + "=\"" + e.getValue() + "\"")
                .collect(Collectors.joining(", "));
    }

    private static String commonName(List<Entry> entries, Set<String> varying) {
        if (entries.isEmpty()) {
            return "";
        }
        Series first = entries.get(0).series();
        Set<String> shared = new TreeSet<>(first.labels().keySet());
        shared.removeAll(varying);
        String name = shared.contains(NAME) ? first.labels().get(NAME) : "";
        String rest = labels(first, shared);
        return rest.isEmpty() ? name : name + "{" + rest + "}";
    }
}
