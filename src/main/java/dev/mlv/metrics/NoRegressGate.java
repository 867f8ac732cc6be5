package dev.mlv.metrics;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Objects;

/**
 * {@code --no-regress METRIC[:TOLERANCE]}: SRC's value may not be worse than DST's, in the
 * metric's {@link Direction}, by more than the tolerance. Decimal arithmetic on the values as
 * written, so {@code 0.91} against {@code 0.92} with tolerance {@code 0.01} passes exactly.
 *
 * <p>Outcomes: SRC lacks the metric, or its value is not a number or NaN: fails. DST lacks it
 * (first promotion), or DST's value is not a number or NaN: passes, noting there was nothing
 * to compare with. Infinite values compare as numbers, with no tolerance.
 */
public record NoRegressGate(String metric, Tolerance tolerance) implements Gate {
    private static final String KIND = "no-regress";

    public NoRegressGate {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(tolerance, "tolerance");
    }

    /**
     * Parses {@code METRIC}, {@code METRIC:ABSOLUTE} or {@code METRIC:PERCENT%}
     * ({@code accuracy}, {@code accuracy:0.01}, {@code accuracy:1%}).
     *
     * @throws MetricsException what is wrong with the text, with an example of the right form
     */
    public static NoRegressGate parse(String text) throws MetricsException {
        String s = text == null ? "" : text.strip();
        if (s.isEmpty()) {
            throw GateSyntax.error(KIND, s, "it is empty", GateSyntax.NO_REGRESS_FORM);
        }
        for (int i = 0; i < s.length(); i++) {
            if (GateSyntax.isOperatorChar(s.charAt(i))) {
                throw GateSyntax.error(KIND, s, "comparisons belong in a require gate (--require '" + s + "')",
                        GateSyntax.NO_REGRESS_FORM);
            }
        }
        int colon = s.lastIndexOf(':');
        String metric = (colon < 0 ? s : s.substring(0, colon)).strip();
        String problem = GateSyntax.metricProblem(metric);
        if (problem != null) {
            throw GateSyntax.error(KIND, s, problem, GateSyntax.NO_REGRESS_FORM);
        }
        if (colon < 0) {
            return new NoRegressGate(metric, Tolerance.none());
        }
        String tol = s.substring(colon + 1).strip();
        boolean relative = tol.endsWith("%");
        String digits = relative ? tol.substring(0, tol.length() - 1).strip() : tol;
        if (digits.isEmpty()) {
            throw GateSyntax.error(KIND, s, "there is no tolerance after ':'", GateSyntax.NO_REGRESS_FORM);
        }
        BigDecimal amount = GateSyntax.number(digits);
        if (amount == null) {
            throw GateSyntax.error(KIND, s, "tolerance '" + tol + "' is not a number or percentage",
                    GateSyntax.NO_REGRESS_FORM);
        }
        if (amount.signum() < 0) {
            throw GateSyntax.error(KIND, s, "tolerance '" + tol + "' is negative", GateSyntax.NO_REGRESS_FORM);
        }
        return new NoRegressGate(metric, new Tolerance(amount, relative));
    }

    @Override
    public String rule() {
        return "no-regress " + metric + (tolerance.isNone() ? "" : ":" + tolerance);
    }

    @Override
    public GateResult evaluate(Metrics src, Metrics dst, Directions directions) {
        ResolvedDirection direction = directions.resolve(metric);
        MetricValue srcValue = src.get(metric).orElse(null);
        MetricValue dstValue = dst.get(metric).orElse(null);
        if (srcValue == null) {
            return result(null, dstValue, direction, false, "missing in SRC");
        }
        if (!srcValue.isNumber()) {
            return result(srcValue, dstValue, direction, false, "SRC value " + srcValue + " is not a number");
        }
        if (Double.isNaN(srcValue.asDouble())) {
            return result(srcValue, dstValue, direction, false, "SRC value is NaN");
        }
        if (dstValue == null) {
            return result(srcValue, null, direction, true, "no value in DST");
        }
        if (!dstValue.isNumber() || Double.isNaN(dstValue.asDouble())) {
            return result(srcValue, dstValue, direction, true,
                    "DST value " + dstValue + " is not a number; nothing to compare");
        }
        String compared = MetricFormat.value(srcValue) + " vs " + MetricFormat.value(dstValue) + " in DST";
        String sense = direction.direction().word() + ": " + direction.direction().meaning();
        if (!srcValue.isFinite() || !dstValue.isFinite()) {
            int cmp = Double.compare(srcValue.asDouble(), dstValue.asDouble());
            boolean passed = direction.direction() == Direction.MAX ? cmp >= 0 : cmp <= 0;
            return result(srcValue, dstValue, direction, passed,
                    compared + (passed ? ": no regression" : ": worse") + " (" + sense + ")");
        }
        BigDecimal from = dstValue.decimal();
        BigDecimal to = srcValue.decimal();
        // How much worse SRC is than DST, in the metric's unit; negative when it is better.
        BigDecimal worsening = direction.direction() == Direction.MAX ? from.subtract(to) : to.subtract(from);
        if (worsening.signum() <= 0) {
            return result(srcValue, dstValue, direction, true, compared + ": no regression (" + sense + ")");
        }
        BigDecimal allowance = tolerance.allowance(from);
        String by = "worse by " + MetricFormat.number(worsening.doubleValue())
                + (from.signum() == 0 ? "" : " (" + MetricFormat.percent(
                        to.subtract(from).divide(from.abs(), MathContext.DECIMAL64).doubleValue()) + ")");
        if (worsening.compareTo(allowance) <= 0) {
            return result(srcValue, dstValue, direction, true,
                    compared + ": " + by + ", within tolerance " + tolerance + " (" + sense + ")");
        }
        String allowed = tolerance.isNone() ? "no tolerance" : "more than tolerance " + tolerance + " allows";
        return result(srcValue, dstValue, direction, false, compared + ": " + by + ", " + allowed + " (" + sense + ")");
    }

    private GateResult result(MetricValue src, MetricValue dst, ResolvedDirection direction, boolean passed,
            String reason) {
        return new GateResult(metric, rule(), src, dst, direction, passed, reason);
    }
}
