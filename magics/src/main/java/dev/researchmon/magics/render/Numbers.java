package dev.researchmon.magics.render;

import java.math.BigDecimal;
import java.util.Locale;

/** How values are written in tables and on axes: short, exact for integers, never "1.0E9". */
public final class Numbers {
    private Numbers() {}

    public static String format(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        double abs = Math.abs(v);
        if (abs >= 1e-3 && abs < 1e9) {
            return new BigDecimal(String.format(Locale.ROOT, "%.6g", v))
                    .stripTrailingZeros()
                    .toPlainString();
        }
        if (abs >= 1e9 && abs < 1e15) {
            // Unix timestamps and byte counts: keep every integer digit
            return new BigDecimal(String.format(Locale.ROOT, "%.3f", v))
                    .stripTrailingZeros()
                    .toPlainString();
        }
        return String.format(Locale.ROOT, "%.4g", v);
    }

    /** Short axis labels: {@code 120M}, {@code 2.5k}, {@code 0.25}; SI prefixes from k to P. */
    public static String si(double v) {
        double abs = Math.abs(v);
        String[] prefixes = {"k", "M", "G", "T", "P"};
        if (abs < 1000 || !Double.isFinite(v)) {
            return format(v);
        }
        int i = -1;
        while (abs >= 1000 && i < prefixes.length - 1) {
            abs /= 1000;
            v /= 1000;
            i++;
        }
        return new BigDecimal(String.format(Locale.ROOT, "%.3g", v))
                        .stripTrailingZeros()
                        .toPlainString()
                + prefixes[i];
    }
}
