package dev.mlv.core.experiment;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.mlv.metrics.MetricFormat;
import dev.mlv.metrics.MetricValue;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One metric value as output shows it: in JSON (where results are serialised whole, as in
 * {@code mlv log --json} and promotion records) it is its {@code value}.
 *
 * @param value the value for JSON: a number (its original digits), a string, a boolean, or
 *     {@code "NaN"}/{@code "Infinity"} (JSON has no literal for them)
 * @param shown the value for people ({@code 0.93}, {@code 1.5e-7}, {@code NaN})
 */
public record MetricCell(@JsonValue Object value, String shown) {
    /** The cell of a value; null for null (a metric one side lacks). */
    public static MetricCell of(MetricValue value) {
        return value == null ? null : new MetricCell(value.jsonValue(), MetricFormat.value(value));
    }

    /** Each value's cell, in the map's order. */
    public static Map<String, MetricCell> map(Map<String, MetricValue> values) {
        Map<String, MetricCell> cells = new LinkedHashMap<>();
        values.forEach((key, value) -> cells.put(key, of(value)));
        return cells;
    }
}
