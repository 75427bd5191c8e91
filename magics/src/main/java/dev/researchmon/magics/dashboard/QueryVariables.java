package dev.researchmon.magics.dashboard;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills a panel's PromQL the way Grafana does before it asks Prometheus: every template variable
 * the dashboard declares ({@code $notebook}, {@code ${gpu}}, {@code [[host]]}, whatever its name)
 * becomes a regex, the chosen value where {@code %dashboard} has one (this notebook, this host),
 * else {@code .*}, Grafana's "All"; Grafana's own {@code $__rate_interval}, {@code $__interval},
 * {@code $__range} become durations. A {@code $word} the dashboard does not declare is left as it
 * is, as Grafana leaves it.
 *
 * <pre>{@code
 * QueryVariables v = new QueryVariables(List.of("notebook", "gpu"),
 *         Map.of("notebook", QueryVariables.exactly("a.ipynb")),
 *         Duration.ofHours(1), Duration.ofSeconds(15), Duration.ofSeconds(15));
 * v.fill("rate(x{notebook=~\"$notebook\", gpu=~\"$gpu\"}[$__rate_interval])");
 * // rate(x{notebook=~"a\\.ipynb", gpu=~".*"}[1m])
 * }</pre>
 */
public final class QueryVariables {
    /** Grafana's value for "All" when a variable has no custom all-value: any value, or none. */
    public static final String ALL = ".*";

    private static final Pattern VARIABLE =
            Pattern.compile("\\$\\{(\\w+)(?::[\\w-]+)?}|\\[\\[(\\w+)(?::[\\w-]+)?]]|\\$(\\w+)");
    // RE2 metacharacters; Prometheus label regexes are RE2 and fully anchored.
    private static final Pattern REGEX_META = Pattern.compile("[\\\\.+*?()|\\[\\]{}^$]");

    private final Map<String, String> values = new HashMap<>();

    /**
     * @param declared       the dashboard's variable names
     * @param chosen         regex values for some of them (see {@link #exactly}, {@link #exactlyOrAbsent});
     *                       the others match everything
     * @param range          the time range shown ({@code $__range})
     * @param step           the range query's resolution ({@code $__interval})
     * @param scrapeInterval Prometheus's scrape interval, from which Grafana derives {@code $__rate_interval}
     */
    public QueryVariables(
            List<String> declared, Map<String, String> chosen, Duration range, Duration step, Duration scrapeInterval) {
        for (String name : declared) {
            values.put(name, chosen.getOrDefault(name, ALL));
        }
        // Grafana: max($__interval + scrape interval, 4 * scrape interval), so a rate always spans enough samples
        Duration rate = step.plus(scrapeInterval);
        Duration fourScrapes = scrapeInterval.multipliedBy(4);
        values.put("__rate_interval", duration(rate.compareTo(fourScrapes) > 0 ? rate : fourScrapes));
        values.put("__interval", duration(step));
        values.put("__interval_ms", Long.toString(step.toMillis()));
        values.put("__range", duration(range));
        values.put("__range_s", Long.toString(range.toSeconds()));
        values.put("__range_ms", Long.toString(range.toMillis()));
    }

    /** The query as Prometheus receives it. */
    public String fill(String expr) {
        Matcher m = VARIABLE.matcher(expr);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
            String value = values.get(name);
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * A regex matching exactly {@code value}, written for a PromQL double-quoted string: regex
     * metacharacters escaped, then backslashes and quotes escaped for the string.
     */
    public static String exactly(String value) {
        String regex = REGEX_META.matcher(value).replaceAll(r -> Matcher.quoteReplacement("\\" + r.group()));
        return regex.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /**
     * Matches {@code value} or a series without the label: {@code host} is on series shipped to a
     * central store, not on those of this host's own Prometheus.
     */
    public static String exactlyOrAbsent(String value) {
        return "(?:" + exactly(value) + ")?";
    }

    /** A Prometheus duration: {@code 90s}, {@code 1500ms}. */
    static String duration(Duration d) {
        long ms = Math.max(1, d.toMillis());
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}
