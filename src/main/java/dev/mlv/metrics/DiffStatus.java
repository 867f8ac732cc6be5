package dev.mlv.metrics;

/** How a metric changed between two commits; {@link #name()} is the string shown and written to JSON. */
public enum DiffStatus {
    /** A number moved the way its direction prefers. */
    BETTER,
    /** A number moved against its direction. */
    WORSE,
    /** Same value (numbers by value: {@code 0.9} equals {@code 0.90}). */
    SAME,
    /** Only the new side has the key. */
    ADDED,
    /** Only the old side has the key. */
    REMOVED,
    /** Different, but not comparable as better or worse: a string or boolean changed, the kind changed, or NaN is involved. */
    CHANGED
}
