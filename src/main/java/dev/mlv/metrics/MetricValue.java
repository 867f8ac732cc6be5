package dev.mlv.metrics;

import com.fasterxml.jackson.annotation.JsonValue;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * One metric's value: a number, a string or a boolean, never mixed up. A number keeps its
 * {@code double} value for arithmetic and the text it was written with for exact display;
 * {@code NaN} and {@code ±Infinity} are numbers too (Python's {@code json.dump} writes them).
 * Booleans are their own kind, so {@code true} and {@code "true"} stay different values.
 */
public final class MetricValue {
    /** The kinds of value a metrics file can hold after flattening. */
    public enum Kind { NUMBER, STRING, BOOLEAN }

    private static final long MAX_EXACT_LONG = 1L << 53;
    private static final java.util.regex.Pattern JSON_NUMBER =
            java.util.regex.Pattern.compile("-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?");

    private final Kind kind;
    private final double number;
    private final String text;

    private MetricValue(Kind kind, double number, String text) {
        this.kind = kind;
        this.number = number;
        this.text = text;
    }

    /** A number written as {@code value} would be by Java, integral values without {@code .0}. */
    public static MetricValue number(double value) {
        String text = isWhole(value) ? Long.toString((long) value) : Double.toString(value);
        return new MetricValue(Kind.NUMBER, value, text);
    }

    /**
     * A number together with the text it was written with ({@code "0.930"}, {@code "1e-3"},
     * {@code "NaN"}); the text is shown where exact display matters.
     */
    public static MetricValue number(double value, String originalText) {
        return new MetricValue(Kind.NUMBER, value, Objects.requireNonNull(originalText, "originalText"));
    }

    /**
     * A value from text that no longer says its kind (an {@code Mlv-Metrics} commit trailer, a
     * {@code mlv.promotion/1} record): a JSON number literal, {@code NaN} or {@code ±Infinity} is a
     * number with that text, {@code true}/{@code false} a boolean, anything else a string.
     */
    public static MetricValue parse(String text) {
        Objects.requireNonNull(text, "text");
        switch (text) {
            case "NaN":
                return number(Double.NaN, text);
            case "Infinity":
                return number(Double.POSITIVE_INFINITY, text);
            case "-Infinity":
                return number(Double.NEGATIVE_INFINITY, text);
            case "true":
            case "false":
                return bool(Boolean.parseBoolean(text));
            default:
                return JSON_NUMBER.matcher(text).matches() ? number(Double.parseDouble(text), text) : string(text);
        }
    }

    public static MetricValue string(String value) {
        return new MetricValue(Kind.STRING, Double.NaN, Objects.requireNonNull(value, "value"));
    }

    public static MetricValue bool(boolean value) {
        return new MetricValue(Kind.BOOLEAN, Double.NaN, Boolean.toString(value));
    }

    public Kind kind() {
        return kind;
    }

    public boolean isNumber() {
        return kind == Kind.NUMBER;
    }

    /** The numeric value; only for {@link Kind#NUMBER}. */
    public double asDouble() {
        if (kind != Kind.NUMBER) {
            throw new IllegalStateException("not a number: " + kind + " '" + text + "'");
        }
        return number;
    }

    /** True for a finite number without a fractional part that a {@code double} holds exactly. */
    public boolean isIntegral() {
        return kind == Kind.NUMBER && isWhole(number);
    }

    /** True for a number that is neither NaN nor infinite. */
    public boolean isFinite() {
        return kind == Kind.NUMBER && Double.isFinite(number);
    }

    /**
     * The value as written: a number's original literal, a string's content, or
     * {@code "true"}/{@code "false"}.
     */
    public String text() {
        return text;
    }

    /**
     * Whether two values mean the same: numbers compare by value ({@code 0.9} equals
     * {@code 0.90}; NaN equals NaN), other kinds by kind and text.
     */
    public boolean sameAs(MetricValue other) {
        if (kind != other.kind) {
            return false;
        }
        if (kind == Kind.NUMBER) {
            return number == other.number || (Double.isNaN(number) && Double.isNaN(other.number));
        }
        return text.equals(other.text);
    }

    /**
     * The value as it belongs in JSON output: numbers as JSON numbers (their original digits
     * when they parse), NaN and infinities as strings (JSON has no literal for them), strings
     * and booleans as themselves.
     */
    @JsonValue
    public Object jsonValue() {
        switch (kind) {
            case BOOLEAN:
                return Boolean.valueOf(text);
            case STRING:
                return text;
            default:
                if (!Double.isFinite(number)) {
                    return MetricFormat.value(this);
                }
                return decimal();
        }
    }

    /** The exact decimal value of a finite number: its original digits where they parse. */
    BigDecimal decimal() {
        if (!isFinite()) {
            throw new IllegalStateException("not a finite number: " + text);
        }
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            return BigDecimal.valueOf(number);
        }
    }

    static boolean isWhole(double value) {
        return Double.isFinite(value) && value == Math.rint(value) && Math.abs(value) < MAX_EXACT_LONG;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MetricValue other && kind == other.kind
                && Double.compare(number, other.number) == 0 && text.equals(other.text);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, number, text);
    }

    @Override
    public String toString() {
        return kind == Kind.STRING ? "\"" + text + "\"" : text;
    }
}
