package dev.mlv.metrics;

/**
 * A metric's direction and why: {@code configured} with the configuration {@code rule} (the
 * key or glob) that matched, or defaulted with the rule that decided ({@code name has 'loss'},
 * {@code default}).
 */
public record ResolvedDirection(Direction direction, boolean configured, String rule) {
    /** For output: {@code min (configured: eval.*)} or {@code min (default: name has 'loss')}. */
    public String describe() {
        return direction.word() + " (" + (configured ? "configured: " : "default: ") + rule + ")";
    }
}
