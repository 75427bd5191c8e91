package dev.researchmon.monitoring;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Expands a panel's PromQL the way Grafana does before sending it to Prometheus: template
 * variables ({@code $gpu}, {@code ${gpu}}, {@code [[gpu]]}) become their values, multi-valued
 * ones a regex alternation with each value escaped, and Grafana's own interval variables
 * ({@code $__rate_interval}, {@code $__range}, ...) fixed durations. A variable it does not know
 * is an error, so a typo in a panel cannot pass as an empty result.
 *
 * <pre>{@code
 * QueryTemplate t = new QueryTemplate(Map.of("gpu", List.of("0", "1")), "1m", "10m");
 * t.expand("gpu_utilization_ratio{gpu=~\"$gpu\"}[$__rate_interval]");
 * // gpu_utilization_ratio{gpu=~"0|1"}[1m]
 * }</pre>
 */
final class QueryTemplate {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(?::\\w+)?}|\\[\\[(\\w+)]]|\\$(\\w+)");
    // RE2 metacharacters; Prometheus label regexes are RE2 and fully anchored.
    private static final Pattern REGEX_META = Pattern.compile("[\\\\.+*?()|\\[\\]{}^$]");

    private final Map<String, List<String>> values;
    private final Map<String, String> builtIns;

    /**
     * @param values        each template variable's selected values (all values for "All")
     * @param rateInterval  what {@code $__rate_interval} stands for, e.g. {@code 1m}
     * @param range         what {@code $__range} stands for, e.g. {@code 10m}
     */
    QueryTemplate(Map<String, List<String>> values, String rateInterval, String range) {
        this.values = Map.copyOf(values);
        this.builtIns = Map.of(
                "__rate_interval", rateInterval,
                "__interval", rateInterval,
                "__range", range,
                "__range_s", String.valueOf(seconds(range)),
                "__interval_ms", String.valueOf(seconds(rateInterval) * 1000));
    }

    /** The query as Prometheus receives it; throws naming the first unknown or empty variable. */
    String expand(String expr) {
        Matcher m = VARIABLE.matcher(expr);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
            m.appendReplacement(out, Matcher.quoteReplacement(valueOf(name, expr)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String valueOf(String name, String expr) {
        String builtIn = builtIns.get(name);
        if (builtIn != null) {
            return builtIn;
        }
        List<String> selected = values.get(name);
        if (selected == null) {
            throw new IllegalArgumentException("query uses $" + name + ", which is not a dashboard variable "
                    + "(known: " + values.keySet() + "): " + expr);
        }
        if (selected.isEmpty()) {
            throw new IllegalArgumentException("variable $" + name + " has no value to substitute in: " + expr);
        }
        // Inside a PromQL string literal a regex backslash must itself be escaped.
        return selected.stream()
                .map(v -> REGEX_META.matcher(v).replaceAll(r -> "\\\\\\\\" + Matcher.quoteReplacement(r.group())))
                .collect(Collectors.joining("|"));
    }

    private static long seconds(String duration) {
        Matcher m = Pattern.compile("(\\d+)([smhd])").matcher(duration);
        if (!m.matches()) {
            throw new IllegalArgumentException("duration must look like 30s, 5m, 1h or 1d: " + duration);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> n;
            case "m" -> n * 60;
            case "h" -> n * 3600;
            default -> n * 86400;
        };
    }
}
