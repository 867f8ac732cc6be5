package dev.mlv.metrics;

/**
 * The outcome of one gate: which metric, the rule as written, the values seen in SRC and DST
 * (null when absent, and {@code dstValue} always null for a require gate), the direction used
 * (null for a require gate), whether it passed, and why, in words for the user
 * ({@code 0.88 is not >= 0.9}, {@code missing in SRC}, {@code no value in DST}).
 */
public record GateResult(
        String metric,
        String rule,
        MetricValue srcValue,
        MetricValue dstValue,
        ResolvedDirection direction,
        boolean passed,
        String reason) {
}
