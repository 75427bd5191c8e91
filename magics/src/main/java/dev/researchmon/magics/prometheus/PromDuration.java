package dev.researchmon.magics.prometheus;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations written as Prometheus writes them: {@code 30m}, {@code 15s}, {@code 1h30m}, {@code 500ms}. */
public final class PromDuration {
    private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:ms|s|m|h|d|w))+");
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w)");

    private PromDuration() {}

    /** The duration, or {@code null} when {@code text} is not one (or is zero). */
    public static Duration parse(String text) {
        if (!WHOLE.matcher(text).matches()) {
            return null;
        }
        Duration total = Duration.ZERO;
        Matcher m = PART.matcher(text);
        try {
            while (m.find()) {
                long n = Long.parseLong(m.group(1));
                total = total.plus(
                        switch (m.group(2)) {
                            case "ms" -> Duration.ofMillis(n);
                            case "s" -> Duration.ofSeconds(n);
                            case "m" -> Duration.ofMinutes(n);
                            case "h" -> Duration.ofHours(n);
                            case "d" -> Duration.ofDays(n);
                            default -> Duration.ofDays(7 * n);
                        });
            }
        } catch (ArithmeticException | NumberFormatException tooBig) {
            return null;
        }
        return total.isZero() ? null : total;
    }
}
