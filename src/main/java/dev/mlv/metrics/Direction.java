package dev.mlv.metrics;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Which way a metric improves: {@code max} (higher is better) or {@code min} (lower is better). */
public enum Direction {
    MAX("max", "higher is better"),
    MIN("min", "lower is better");

    private final String word;
    private final String meaning;

    Direction(String word, String meaning) {
        this.word = word;
        this.meaning = meaning;
    }

    /** {@code max} or {@code min}, as written in configuration and output (also in JSON). */
    @JsonValue
    public String word() {
        return word;
    }

    /** {@code higher is better} or {@code lower is better}, for messages. */
    public String meaning() {
        return meaning;
    }

    /** True when going from {@code from} to {@code to} is an improvement. */
    public boolean improves(double from, double to) {
        return this == MAX ? to > from : to < from;
    }

    /**
     * Parses {@code max} or {@code min} (case and surrounding spaces ignored).
     *
     * @param what names the setting in the error message
     */
    public static Direction parse(String text, String what) throws MetricsException {
        String word = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (Direction d : values()) {
            if (d.word.equals(word)) {
                return d;
            }
        }
        throw new MetricsException(MetricsException.Kind.INVALID_DIRECTION, "direction of " + what + " is '" + text
                + "'; use 'max' (higher is better) or 'min' (lower is better)");
    }

    @Override
    public String toString() {
        return word;
    }
}
