package dev.mlv.core.promotion;

/**
 * One metric gate's outcome as commands show it: the rule as written, the values seen in SRC and
 * DST (display text, null when absent), the direction used, and why it passed or failed.
 */
public record GateRow(String metric, String rule, String src, String dst, String direction, boolean passed, String reason) {
}
