package dev.researchmon.magics.render;

import java.math.BigDecimal;
import java.util.Locale;

/** How values are written in tables and on axes: short, exact for integers, never "1.0E9". */
public final class Numbers {
    private Numbers() {
    }

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
            return new BigDecimal(String.format(Locale.ROOT, "%.6g", v)).stripTrailingZeros().toPlainString();
        }
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
