package dev.mlv.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * The gates of one promotion, from flags, from configuration for the destination branch, or
 * both ({@link #plus(Gates)}); both sources go through the same parsers. Immutable.
 */
public final class Gates {
    private static final Gates NONE = new Gates(List.of());

    private final List<Gate> gates;

    private Gates(List<Gate> gates) {
        this.gates = List.copyOf(gates);
    }

    public static Gates none() {
        return NONE;
    }

    public static Gates of(List<? extends Gate> gates) {
        return new Gates(new ArrayList<>(gates));
    }

    /**
     * Parses require expressions and no-regress specs, in that order.
     *
     * @throws MetricsException the first text that does not parse, quoted, with what is wrong
     */
    public static Gates parse(List<String> require, List<String> noRegress) throws MetricsException {
        List<Gate> gates = new ArrayList<>();
        for (String text : require) {
            gates.add(RequireGate.parse(text));
        }
        for (String text : noRegress) {
            gates.add(NoRegressGate.parse(text));
        }
        return new Gates(gates);
    }

    /** These gates followed by {@code other}'s. */
    public Gates plus(Gates other) {
        List<Gate> all = new ArrayList<>(gates);
        all.addAll(other.gates);
        return new Gates(all);
    }

    public List<Gate> list() {
        return gates;
    }

    public boolean isEmpty() {
        return gates.isEmpty();
    }

    /**
     * Checks every gate (none stops at the first failure, so the report is complete).
     *
     * @param src the metrics of the commit being promoted
     * @param dst the destination's metrics; {@link Metrics#empty()} when it has none
     */
    public GateReport evaluate(Metrics src, Metrics dst, Directions directions) {
        List<GateResult> results = new ArrayList<>(gates.size());
        for (Gate gate : gates) {
            results.add(gate.evaluate(src, dst, directions));
        }
        return new GateReport(results);
    }

    @Override
    public String toString() {
        return gates.stream().map(Gate::rule).toList().toString();
    }
}
