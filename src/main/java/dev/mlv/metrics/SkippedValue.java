package dev.mlv.metrics;

/**
 * A value in a metrics file that did not become a metric (an array that is not a series of
 * numbers, an empty name, ...): kept so the caller can warn about it instead of silently
 * dropping it. {@code null} values are not reported: null means "no value".
 */
public record SkippedValue(String file, String pointer, String reason) {
    /** For messages: {@code metrics/eval.json at /classes: array of strings is not a metric}. */
    @Override
    public String toString() {
        return file + " at " + pointer + ": " + reason;
    }
}
