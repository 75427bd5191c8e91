package dev.researchmon.magics.command;

import dev.researchmon.magics.api.MagicUsageException;
import dev.researchmon.magics.prometheus.PromDuration;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The arguments of {@code %metrics}, parsed from the raw line: PromQL has spaces, quotes and
 * braces of its own, so the query is everything after the sub-command, less trailing options.
 *
 * @param mode   what to do
 * @param promql the query, for QUERY and PLOT
 * @param range  how far back PLOT looks
 * @param step   the resolution of PLOT
 */
record MetricsArgs(Mode mode, String promql, Duration range, Duration step, String rangeText, String stepText) {

    enum Mode { LOCAL, QUERY, PLOT }

    static final String DEFAULT_RANGE = "30m";
    /** Prometheus refuses a range query of more points than this. */
    static final long MAX_POINTS = 11_000;
    /** Aim for this many points when --step is not given. */
    static final long DEFAULT_POINTS = 240;

    private static final Pattern OPTION = Pattern.compile("(?:^|\\s)--([A-Za-z-]+)(?:=|\\s+)?(\\S*)");

    static MetricsArgs parse(String argLine) throws MagicUsageException {
        String line = argLine == null ? "" : argLine.strip();
        if (line.isEmpty()) {
            return new MetricsArgs(Mode.LOCAL, "", Duration.ZERO, Duration.ZERO, "", "");
        }
        String[] split = line.split("\\s+", 2);
        String rest = split.length > 1 ? split[1].strip() : "";
        switch (split[0]) {
            case "query" -> {
                if (rest.isEmpty()) {
                    throw new MagicUsageException(MetricsMagic.USAGE + " (query needs a PromQL expression)");
                }
                return new MetricsArgs(Mode.QUERY, rest, Duration.ZERO, Duration.ZERO, "", "");
            }
            case "plot" -> {
                return plot(rest);
            }
            default -> throw new MagicUsageException(MetricsMagic.USAGE + " (unknown sub-command \"" + split[0] + "\")");
        }
    }

    private static MetricsArgs plot(String rest) throws MagicUsageException {
        String rangeText = DEFAULT_RANGE;
        String stepText = null;
        Matcher m = OPTION.matcher(rest);
        StringBuilder query = new StringBuilder();
        int last = 0;
        while (m.find()) {
            query.append(rest, last, m.start());
            last = m.end();
            String value = m.group(2);
            if (value.isEmpty()) {
                throw new MagicUsageException(MetricsMagic.USAGE + " (--" + m.group(1) + " needs a value)");
            }
            switch (m.group(1)) {
                case "range" -> rangeText = value;
                case "step" -> stepText = value;
                default -> throw new MagicUsageException(MetricsMagic.USAGE + " (unknown option --" + m.group(1) + ")");
            }
        }
        query.append(rest.substring(last));
        String promql = query.toString().strip();
        if (promql.isEmpty()) {
            throw new MagicUsageException(MetricsMagic.USAGE + " (plot needs a PromQL expression)");
        }
        Duration range = PromDuration.parse(rangeText);
        if (range == null) {
            throw new MagicUsageException(MetricsMagic.USAGE + " (--range " + rangeText
                    + " is not a duration like 30m, 2h or 90s)");
        }
        Duration step;
        if (stepText == null) {
            step = Duration.ofMillis(Math.max(1000, range.toMillis() / DEFAULT_POINTS));
            stepText = step.toMillis() % 1000 == 0 ? step.toSeconds() + "s" : step.toMillis() + "ms";
        } else {
            step = PromDuration.parse(stepText);
            if (step == null) {
                throw new MagicUsageException(MetricsMagic.USAGE + " (--step " + stepText
                        + " is not a duration like 15s or 1m)");
            }
        }
        if (range.toMillis() / step.toMillis() > MAX_POINTS) {
            throw new MagicUsageException(MetricsMagic.USAGE + " (--range " + rangeText + " at --step " + stepText
                    + " is more than " + MAX_POINTS + " points; use a larger step)");
        }
        return new MetricsArgs(Mode.PLOT, promql, range, step, rangeText, stepText);
    }
}
