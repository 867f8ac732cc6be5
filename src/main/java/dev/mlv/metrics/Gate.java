package dev.mlv.metrics;

/**
 * One promotion gate, checked on SRC's metrics (and DST's, for {@link NoRegressGate}). Parsed
 * from the same text whether it came from a flag or from configuration: see
 * {@link RequireGate#parse(String)} and {@link NoRegressGate#parse(String)}.
 */
public sealed interface Gate permits RequireGate, NoRegressGate {
    /** The metric key the gate is about. */
    String metric();

    /** The gate in its canonical written form: {@code accuracy >= 0.9}, {@code no-regress accuracy:1%}. */
    String rule();

    /** Checks the gate; a missing or unusable value is a failed result, never an exception. */
    GateResult evaluate(Metrics src, Metrics dst, Directions directions);
}
