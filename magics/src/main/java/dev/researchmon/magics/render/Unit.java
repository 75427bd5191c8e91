package dev.researchmon.magics.render;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * How a value of a Grafana panel unit is written, on an axis and as a stat: the unit ids of
 * Grafana's field config ({@code bytes}, {@code percentunit}, {@code s}, {@code celsius},
 * {@code watt}, ...), each with the scales people read (GiB rather than 1.07e9 bytes, minutes
 * rather than 5400 s). An unknown id is written after a plain SI-scaled number, so nothing is
 * lost.
 *
 * <pre>{@code
 * Unit.of("bytes").format(1.5 * 1024 * 1024);   // "1.5 MiB"
 * Unit.of("percentunit").format(0.423);         // "42.3%"
 * Unit.Scale s = Unit.of("s").scaleFor(5400);   // min: axis ticks 0, 30, 60, 90 written "30 min"...
 * }</pre>
 */
public final class Unit {
    /** A divisor and the suffix written after the divided value. */
    public record Scale(double divisor, String suffix) {
        public String format(double value) {
            return Unit.significant(value / divisor) + suffix;
        }
    }

    private static final String[] SI = {"", "k", "M", "G", "T", "P"};
    private static final String[] IEC = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    private enum Kind {
        SI_NUMBER,
        BINARY,
        PERCENT_OF_ONE,
        PERCENT,
        DURATION,
        FIXED
    }

    private final String id;
    private final Kind kind;
    /** What follows the number (after the SI prefix for SI_NUMBER and BINARY). */
    private final String suffix;

    private Unit(String id, Kind kind, String suffix) {
        this.id = id;
        this.kind = kind;
        this.suffix = suffix;
    }

    /** The unit for a Grafana unit id; {@code null}, blank, {@code none} and {@code short} are plain numbers. */
    public static Unit of(String grafanaId) {
        String id = grafanaId == null ? "" : grafanaId.strip();
        return switch (id) {
            case "", "none", "short" -> new Unit(id, Kind.SI_NUMBER, "");
            case "bytes", "decbytes" -> new Unit(id, Kind.BINARY, "");
            case "Bps", "binBps" -> new Unit(id, Kind.BINARY, "/s");
            case "percentunit" -> new Unit(id, Kind.PERCENT_OF_ONE, "%");
            case "percent" -> new Unit(id, Kind.PERCENT, "%");
            case "s" -> new Unit(id, Kind.DURATION, "");
            case "ms" -> new Unit(id, Kind.DURATION, "ms");
            case "celsius" -> new Unit(id, Kind.FIXED, " °C");
            case "watt", "watts" -> new Unit(id, Kind.SI_NUMBER, "W");
            case "watth" -> new Unit(id, Kind.SI_NUMBER, "Wh");
            case "joule" -> new Unit(id, Kind.SI_NUMBER, "J");
            case "hertz" -> new Unit(id, Kind.SI_NUMBER, "Hz");
            case "ops" -> new Unit(id, Kind.SI_NUMBER, " ops/s");
            case "iops" -> new Unit(id, Kind.SI_NUMBER, " io/s");
            case "pps" -> new Unit(id, Kind.SI_NUMBER, " p/s");
            case "reqps" -> new Unit(id, Kind.SI_NUMBER, " req/s");
            default -> new Unit(id, Kind.SI_NUMBER, " " + id);
        };
    }

    /** The unit for plain numbers, as {@code %metrics plot} draws a query it knows nothing about. */
    public static Unit plain() {
        return of("");
    }

    public String id() {
        return id;
    }

    /** Whether an axis of this unit should start at zero when every value is positive (not for temperatures). */
    public boolean zeroBased() {
        return kind != Kind.FIXED;
    }

    /** The one value, written with the scale that suits it: {@code 1.5 GiB}, {@code 42.3%}, {@code 250 W}. */
    public String format(double value) {
        if (!Double.isFinite(value)) {
            return Double.isNaN(value) ? "NaN" : value > 0 ? "+Inf" : "-Inf";
        }
        return scaleFor(Math.abs(value)).format(value);
    }

    /** The scale in which values up to {@code maxAbs} are written: one scale for a whole axis. */
    public Scale scaleFor(double maxAbs) {
        double m = Double.isFinite(maxAbs) ? Math.abs(maxAbs) : 0;
        return switch (kind) {
            case PERCENT_OF_ONE -> new Scale(0.01, suffix);
            case PERCENT, FIXED -> new Scale(1, suffix);
            case BINARY -> {
                int i = 0;
                while (m >= 1024 && i < IEC.length - 1) {
                    m /= 1024;
                    i++;
                }
                yield new Scale(Math.pow(1024, i), " " + IEC[i] + suffix);
            }
            // values in ms are scaled as seconds, then written back in the unit they came in
            case DURATION -> suffix.equals("ms") ? duration(m / 1000, 1000) : duration(m, 1);
            case SI_NUMBER -> {
                int i = 0;
                while (m >= 1000 && i < SI.length - 1) {
                    m /= 1000;
                    i++;
                }
                String prefix = SI[i];
                // "250 W" and "1.2 kW" (a prefixed symbol); "1.2k" and "3.4k ops/s" (a prefixed number)
                String s = suffix.isEmpty() || suffix.startsWith(" ") ? prefix + suffix : " " + prefix + suffix;
                yield new Scale(Math.pow(1000, i), s);
            }
        };
    }

    private static Scale duration(double seconds, double perSecond) {
        if (seconds >= 86400 * 2) {
            return new Scale(86400 * perSecond, " d");
        }
        if (seconds >= 3600 * 2) {
            return new Scale(3600 * perSecond, " h");
        }
        if (seconds >= 120) {
            return new Scale(60 * perSecond, " min");
        }
        if (seconds >= 1 || seconds == 0) {
            return new Scale(perSecond, " s");
        }
        if (seconds >= 1e-3) {
            return new Scale(perSecond / 1000, " ms");
        }
        return new Scale(perSecond / 1e6, " µs");
    }

    /** Three significant digits, no exponent, no trailing zeros: {@code 1.5}, {@code 250}, {@code 0.0123}. */
    static String significant(double v) {
        if (v == 0) {
            return "0";
        }
        if (Math.abs(v) >= 1000) {
            return Long.toString(Math.round(v));
        }
        return new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }

    @Override
    public String toString() {
        return "Unit[" + id + "]";
    }
}
