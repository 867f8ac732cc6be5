package dev.mlv.core.experiment;

import dev.mlv.metrics.MetricFormat;
import dev.mlv.metrics.MetricValue;

/**
 * One metric value as output shows it.
 *
 * @param value the value for JSON: a number (its original digits), a string, a boolean, or
 *     {@code "NaN"}/{@code "Infinity"} (JSON has no literal for them)
 * @param shown the value for people ({@code 0.93}, {@code 1.5e-7}, {@code NaN})
 */
public record MetricCell(Object value, String shown) {
    static MetricCell of(MetricValue value) {
        return value == null ? null : new MetricCell(value.jsonValue(), MetricFormat.value(value));
    }
}
