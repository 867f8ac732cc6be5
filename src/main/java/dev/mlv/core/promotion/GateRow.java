package dev.mlv.core.promotion;

import dev.mlv.core.experiment.MetricCell;

/**
 * One metric gate's outcome as commands show it: the rule as written, the values seen in SRC and
 * DST (null when absent; JSON numbers in {@code --json} and promotion records), the direction used, and why it passed or failed.
 */
public record GateRow(String metric, String rule, MetricCell src, MetricCell dst, String direction, boolean passed, String reason) {
}
