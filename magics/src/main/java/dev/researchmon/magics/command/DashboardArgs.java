package dev.researchmon.magics.command;

import dev.researchmon.magics.api.MagicUsageException;
import dev.researchmon.magics.prometheus.PromDuration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of {@code %dashboard [ROW|PANEL ...] [--range 1h] [--notebook this|all]}, from the
 * shell-split words: names of rows or panels (quoted when they have spaces), the range shown, and
 * whether notebook panels show this notebook or every notebook.
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

    static DashboardArgs parse(List<String> words) throws MagicUsageException {
        List<String> names = new ArrayList<>();
        String rangeText = DEFAULT_RANGE;
        String notebook = "this";
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (!w.startsWith("--")) {
                names.add(w);
                continue;
            }
            String option = w.contains("=") ? w.substring(0, w.indexOf('=')) : w;
            String value;
            if (w.contains("=")) {
                value = w.substring(w.indexOf('=') + 1);
            } else if (i + 1 < words.size()) {
                value = words.get(++i);
            } else {
                throw new MagicUsageException(DashboardMagic.USAGE + " (" + option + " needs a value)");
            }
            switch (option) {
                case "--range" -> rangeText = value;
                case "--notebook" -> notebook = value;
                default -> throw new MagicUsageException(DashboardMagic.USAGE + " (unknown option " + option + ")");
            }
        }
        Duration range = PromDuration.parse(rangeText);
        if (range == null) {
            throw new MagicUsageException(DashboardMagic.USAGE + " (--range " + rangeText
                    + " is not a duration like 30m, 2h or 1d)");
        }
        if (range.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new MagicUsageException(DashboardMagic.USAGE + " (--range " + rangeText
                    + " is shorter than the dashboard's 1m rates can fill; use 1m or more)");
        }
        if (!notebook.equals("this") && !notebook.equals("all")) {
            throw new MagicUsageException(DashboardMagic.USAGE + " (--notebook takes this or all, not " + notebook + ")");
        }
        return new DashboardArgs(names, range, rangeText, notebook.equals("all"));
    }

    /** About 240 points per chart, never finer than a second. */
    Duration step() {
        return Duration.ofMillis(Math.max(1000, range.toMillis() / 240));
    }
}
