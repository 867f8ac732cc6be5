package dev.mlv.metrics;

import java.util.Objects;

/**
 * One flattened metric: its dotted key, its value, and where it came from (the file's
 * repository path and the JSON Pointer of the value inside it, e.g. {@code /loss/9} for the
 * last element of a series).
 */
public record Metric(String key, MetricValue value, String file, String pointer) {
    public Metric {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(pointer, "pointer");
    }

    /** Where the value came from, for messages: {@code metrics/eval.json at /accuracy}. */
    public String origin() {
        return file + " at " + (pointer.isEmpty() ? "/" : pointer);
    }
}
