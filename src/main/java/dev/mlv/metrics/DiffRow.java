package dev.mlv.metrics;

/**
 * One key of a {@link MetricsDiff}. {@code oldValue} is null for {@link DiffStatus#ADDED},
 * {@code newValue} for {@link DiffStatus#REMOVED}. {@code absoluteChange} ({@code new - old})
 * is null unless both are finite numbers; {@code relativeChange} ({@code (new - old) / |old|},
 * a fraction: 0.012 is +1.2%) is null too when the old value is 0.
 */
public record DiffRow(
        String key,
        MetricValue oldValue,
        MetricValue newValue,
        Double absoluteChange,
        Double relativeChange,
        DiffStatus status,
        ResolvedDirection direction) {
}
