package dev.researchmon.magics.command;

import dev.researchmon.magics.api.MagicArgs;
import dev.researchmon.magics.api.MagicCall;
import dev.researchmon.magics.api.MagicUsageException;
import dev.researchmon.magics.prometheus.PromDuration;
import java.time.Duration;
import java.util.List;

/**
 * The arguments of {@code %dashboard [ROW|PANEL ...] [--range 1h] [--notebook this|all]} as
 * {@link DashboardMagic#SIGNATURE} declares them: names of rows or panels (quoted when they have
 * spaces), the range shown, and whether notebook panels show this notebook or every notebook.
 *
 * @param names        rows or panels asked for; empty: the default panels
 * @param range        how far back the panels look
 * @param rangeText    the range as written ({@code 1h})
 * @param allNotebooks {@code --notebook all}
 */
record DashboardArgs(List<String> names, Duration range, String rangeText, boolean allNotebooks) {

    static final String DEFAULT_RANGE = "1h";

    DashboardArgs {
        names = List.copyOf(names);
    }

    static DashboardArgs parse(MagicCall call) throws MagicUsageException {
        MagicArgs args = DashboardMagic.SIGNATURE.parse(call);
        String rangeText = args.option("--range");
        Duration range = PromDuration.parse(rangeText);
        if (range == null) {
            throw DashboardMagic.SIGNATURE.error("--range " + rangeText + " is not a duration like 30m, 2h or 1d");
        }
        if (range.compareTo(Duration.ofMinutes(1)) < 0) {
            throw DashboardMagic.SIGNATURE.error(
                    "--range " + rangeText + " is shorter than the dashboard's 1m rates can fill; use 1m or more");
        }
        return new DashboardArgs(
                args.values("ROW|PANEL"),
                range,
                rangeText,
                args.option("--notebook").equals("all"));
    }

    /** The shell-split words after {@code %dashboard}. */
    static DashboardArgs parse(List<String> words) throws MagicUsageException {
        return parse(new MagicCall("dashboard", String.join(" ", words), words, null));
    }

    /** About 240 points per chart, never finer than a second. */
    Duration step() {
        return Duration.ofMillis(Math.max(1000, range.toMillis() / 240));
    }
}
