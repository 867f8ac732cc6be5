package dev.mlv.metrics;

import java.util.Objects;

/**
 * One value column of a curve file ({@code loss} of {@code metrics/train.jsonl}) with its summary
 * and, when asked for, its points.
 *
 * <p>{@code key} is the column's name with the file's prefix ({@code train.loss}), named as the
 * keys of {@code metrics/*.json} are, and decides the direction. {@code count} is how many rows
 * gave the column a number. {@code last} is the last such value in file order (NaN if the run
 * ended on NaN); {@code best} the best non-NaN value in the direction, the earliest on a tie, or
 * null when every value was NaN. {@code steps}/{@code values} hold the points kept for drawing:
 * all of them, or every k-th plus the last when the column had more than asked for
 * ({@code thinned}); empty when only summaries were asked for. The arrays are the caller's to read,
 * not to change.
 */
public record CurveSeries(String key, String column, ResolvedDirection direction, long count,
                          CurvePoint first, CurvePoint last, CurvePoint best,
                          long[] steps, double[] values, boolean thinned) {
    public CurveSeries {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(steps, "steps");
        Objects.requireNonNull(values, "values");
        if (steps.length != values.length) {
            throw new IllegalArgumentException("steps and values differ in length");
        }
    }

    /** How many points were kept for drawing. */
    public int points() {
        return steps.length;
    }
}
