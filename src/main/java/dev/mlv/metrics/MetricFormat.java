package dev.mlv.metrics;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * How metric values and changes are shown to people. Pure functions; the CLI decides layout.
 *
 * <ul>
 *   <li>Integral numbers without a fraction: {@code 10}, not {@code 10.0}.
 *   <li>Other numbers rounded to 6 significant digits, trailing zeros dropped ({@code 0.93},
 *       {@code 0.123457}, {@code 0.3} for {@code 0.30000000000000004}); the integer part is
 *       never rounded away ({@code 1234567.89} → {@code 1234568}); below 1e-4 and from 1e15 on,
 *       scientific notation ({@code 1.5e-7}).
 *   <li>{@code NaN}, {@code Infinity}, {@code -Infinity} as such; strings and booleans as they are.
 *   <li>Relative changes as signed percentages: {@code +1.2%}, {@code -0.35%}, {@code 0%}.
 * </ul>
 */
public final class MetricFormat {
    private static final int SIGNIFICANT = 6;
    private static final double PLAIN_MIN = 1e-4;
    private static final double PLAIN_MAX = 1e15;

    private MetricFormat() {
    }

    /** A value for display (see the class comment); {@link MetricValue#text()} has the exact text. */
    public static String value(MetricValue value) {
        return value.isNumber() ? number(value.asDouble()) : value.text();
    }

    /** A number for display (see the class comment). */
    public static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "Infinity" : "-Infinity";
        }
        if (v == 0) {
            return "0";
        }
        double abs = Math.abs(v);
        if (abs < PLAIN_MIN || abs >= PLAIN_MAX) {
            return scientific(v);
        }
        if (MetricValue.isWhole(v)) {
            return Long.toString((long) v);
        }
        BigDecimal exact = BigDecimal.valueOf(v);
        int integerDigits = Math.max(0, exact.precision() - exact.scale());
        MathContext context = new MathContext(Math.max(SIGNIFICANT, integerDigits), RoundingMode.HALF_UP);
        return exact.round(context).stripTrailingZeros().toPlainString();
    }

    /** A signed change for display: {@code +0.02}, {@code -1.5}, {@code 0}. */
    public static String change(double delta) {
        String shown = number(delta);
        return delta > 0 ? "+" + shown : shown;
    }

    /**
     * A relative change, given as a fraction ({@code 0.012}), as a signed percentage
     * ({@code +1.2%}): one decimal from 1% up, two significant digits below, {@code 0%} for zero.
     */
    public static String percent(double fraction) {
        if (!Double.isFinite(fraction)) {
            return number(fraction);
        }
        double p = fraction * 100;
        if (p == 0) {
            return "0%";
        }
        BigDecimal twoDigits = BigDecimal.valueOf(Math.abs(p)).round(new MathContext(2, RoundingMode.HALF_UP));
        String digits = twoDigits.compareTo(BigDecimal.ONE) >= 0
                ? String.format(Locale.ROOT, "%.1f", Math.abs(p))
                : twoDigits.stripTrailingZeros().toPlainString();
        return (p > 0 ? "+" : "-") + digits + "%";
    }

    private static String scientific(double v) {
        BigDecimal rounded = BigDecimal.valueOf(v).round(new MathContext(SIGNIFICANT, RoundingMode.HALF_UP));
        int exponent = rounded.precision() - rounded.scale() - 1;
        BigDecimal mantissa = rounded.movePointLeft(exponent).stripTrailingZeros();
        return mantissa.toPlainString() + "e" + exponent;
    }
}
