package dev.mlv.metrics;

/**
 * Thrown when metrics files, gate expressions or metric directions cannot be used. The message
 * is written for the user: it names the file (with line and column) or the expression, says
 * what is wrong and how to fix it. {@link #kind()} lets the caller pick an exit code.
 */
public class MetricsException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What the caller handed in that could not be used. */
    public enum Kind {
        /** A {@code metrics/*.json} file is malformed, too large, too deep or clashes with another. */
        INVALID_METRICS_FILE,
        /** A {@code --require} or {@code --no-regress} gate (from flags or configuration) does not parse. */
        INVALID_GATE,
        /** A configured metric direction is neither {@code max} nor {@code min}, or its pattern is unusable. */
        INVALID_DIRECTION
    }

    private final Kind kind;

    public MetricsException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public MetricsException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
