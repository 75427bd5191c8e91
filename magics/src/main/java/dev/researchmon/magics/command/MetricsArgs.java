package dev.researchmon.magics.command;

import dev.researchmon.magics.api.MagicArgs;
import dev.researchmon.magics.api.MagicCall;
import dev.researchmon.magics.api.MagicUsageException;
import dev.researchmon.magics.prometheus.PromDuration;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The arguments of {@code %metrics} as {@link MetricsMagic#SIGNATURE} declares them, with the
 * durations checked: PromQL has spaces, quotes and braces of its own, so the query is the rest of
 * the line as typed, less the options.
 *
 * @param mode   what to do
 * @param promql the query, for QUERY and PLOT
 * @param range  how far back PLOT looks
 * @param step   the resolution of PLOT
 */
record MetricsArgs(Mode mode, String promql, Duration range, Duration step, String rangeText, String stepText) {

    enum Mode {
        LOCAL,
        QUERY,
        PLOT
    }

    static final String DEFAULT_RANGE = "30m";
    /** Prometheus refuses a range query of more points than this. */
    static final long MAX_POINTS = 11_000;
    /** Aim for this many points when --step is not given. */
    static final long DEFAULT_POINTS = 240;
    /** Shown in the usage; {@code --step} left out means about {@link #DEFAULT_POINTS} points. */
    static final String STEP_EXAMPLE = "15s";

    static MetricsArgs parse(String argLine) throws MagicUsageException {
        String line = argLine == null ? "" : argLine.strip();
        List<String> words = line.isEmpty() ? List.of() : Arrays.asList(line.split("\\s+"));
        return parse(new MagicCall("metrics", line, words, null));
    }

    static MetricsArgs parse(MagicCall call) throws MagicUsageException {
        MagicArgs args = MetricsMagic.SIGNATURE.parse(call);
        if (args.subcommand() == null) {
            return new MetricsArgs(Mode.LOCAL, "", Duration.ZERO, Duration.ZERO, "", "");
        }
        String promql = args.value("PROMQL");
        if (args.subcommand().equals("query")) {
            return new MetricsArgs(Mode.QUERY, promql, Duration.ZERO, Duration.ZERO, "", "");
        }
        return plot(promql, args);
    }

    private static MetricsArgs plot(String promql, MagicArgs args) throws MagicUsageException {
        String rangeText = args.option("--range");
        Duration range = PromDuration.parse(rangeText);
        if (range == null) {
            throw MetricsMagic.SIGNATURE.error("--range " + rangeText + " is not a duration like 30m, 2h or 90s");
        }
        String stepText = args.option("--step");
        Duration step;
        if (stepText == null) {
            step = Duration.ofMillis(Math.max(1000, range.toMillis() / DEFAULT_POINTS));
            stepText = step.toMillis() % 1000 == 0 ? step.toSeconds() + "s" : step.toMillis() + "ms";
        } else {
            step = PromDuration.parse(stepText);
            if (step == null) {
                throw MetricsMagic.SIGNATURE.error("--step " + stepText + " is not a duration like 15s or 1m");
            }
        }
        if (range.toMillis() / step.toMillis() > MAX_POINTS) {
            throw MetricsMagic.SIGNATURE.error("--range " + rangeText + " at --step " + stepText + " is more than "
                    + MAX_POINTS + " points; use a larger step");
        }
        return new MetricsArgs(Mode.PLOT, promql, range, step, rangeText, stepText);
    }
}
