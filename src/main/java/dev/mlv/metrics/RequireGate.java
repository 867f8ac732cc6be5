package dev.mlv.metrics;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * {@code --require METRIC OP NUMBER}: SRC's value of the metric must compare to the number as
 * the operator says. Fails when SRC lacks the metric, when its value is not a number, or is NaN.
 * Numbers compare exactly as decimals ({@code 0.90 == 0.9}).
 */
public record RequireGate(String metric, Comparison comparison, BigDecimal threshold) implements Gate {
    private static final String KIND = "require";

    public RequireGate {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(comparison, "comparison");
        Objects.requireNonNull(threshold, "threshold");
    }

    /**
     * Parses {@code METRIC OP NUMBER}, spaces optional: {@code accuracy>=0.9},
     * {@code eval.f1 > 0.8}, {@code loss<1e-3}. A name with spaces or operator characters is
     * written in double quotes, {@code \"} and {@code \\} escaping: {@code "batch size"<64}.
     *
     * @throws MetricsException what is wrong with the text, with an example of the right form
     */
    public static RequireGate parse(String text) throws MetricsException {
        String s = text == null ? "" : text.strip();
        if (s.isEmpty()) {
            throw GateSyntax.error(KIND, s, "it is empty", GateSyntax.REQUIRE_FORM);
        }
        int opStart;
        String metric;
        if (s.charAt(0) == '"') {
            // A quoted key: for keys with spaces or operator characters ("batch size" < 64).
            StringBuilder key = new StringBuilder();
            int i = 1;
            while (i < s.length() && s.charAt(i) != '"') {
                char c = s.charAt(i);
                if (c == '\\' && i + 1 < s.length() && (s.charAt(i + 1) == '"' || s.charAt(i + 1) == '\\')) {
                    c = s.charAt(++i);
                }
                key.append(c);
                i++;
            }
            if (i == s.length()) {
                throw GateSyntax.error(KIND, s, "the quoted name has no closing '\"'", GateSyntax.REQUIRE_FORM);
            }
            metric = key.toString();
            opStart = i + 1;
            while (opStart < s.length() && Character.isWhitespace(s.charAt(opStart))) {
                opStart++;
            }
            if (opStart == s.length() || !GateSyntax.isOperatorChar(s.charAt(opStart))) {
                throw GateSyntax.error(KIND, s, "a comparison operator must follow the quoted name", GateSyntax.REQUIRE_FORM);
            }
        } else {
            opStart = 0;
            while (opStart < s.length() && !GateSyntax.isOperatorChar(s.charAt(opStart))) {
                opStart++;
            }
            if (opStart == s.length()) {
                throw GateSyntax.error(KIND, s, "it has no comparison operator", GateSyntax.REQUIRE_FORM);
            }
            metric = s.substring(0, opStart).strip();
        }
        int opEnd = opStart;
        while (opEnd < s.length() && GateSyntax.isOperatorChar(s.charAt(opEnd))) {
            opEnd++;
        }
        String problem = GateSyntax.metricProblem(metric, s.charAt(0) == '"');
        if (problem != null) {
            throw GateSyntax.error(KIND, s, problem, GateSyntax.REQUIRE_FORM);
        }
        String op = s.substring(opStart, opEnd);
        Comparison comparison = Comparison.fromSymbol(op).orElse(null);
        if (comparison == null) {
            throw GateSyntax.error(KIND, s, operatorProblem(op), GateSyntax.REQUIRE_FORM);
        }
        String number = s.substring(opEnd).strip();
        if (number.isEmpty()) {
            throw GateSyntax.error(KIND, s, "there is no number after '" + op + "'", GateSyntax.REQUIRE_FORM);
        }
        BigDecimal threshold = GateSyntax.number(number);
        if (threshold == null) {
            String why = number.endsWith("%")
                    ? "'" + number + "' is a percentage; write the metric's own value, e.g. 0.9 for 90%"
                    : "'" + number + "' is not a number";
            throw GateSyntax.error(KIND, s, why, GateSyntax.REQUIRE_FORM);
        }
        return new RequireGate(metric, comparison, threshold);
    }

    private static String operatorProblem(String op) {
        return switch (op) {
            case "=" -> "'=' is not an operator, use '==' to require equality";
            case "=>" -> "'=>' is not an operator, did you mean '>='";
            case "=<" -> "'=<' is not an operator, did you mean '<='";
            case "<>" -> "'<>' is not an operator, use '!=' for inequality";
            default -> "'" + op + "' is not an operator";
        };
    }

    @Override
    public String rule() {
        return quoted(metric) + " " + comparison.symbol() + " " + threshold;
    }

    /** The name as a gate expression writes it: in double quotes when it needs them. */
    public static String quoted(String name) {
        boolean plain = !name.isEmpty() && name.charAt(0) != '"';
        for (int i = 0; plain && i < name.length(); i++) {
            char c = name.charAt(i);
            plain = !Character.isWhitespace(c) && !GateSyntax.isOperatorChar(c);
        }
        return plain ? name : "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Override
    public GateResult evaluate(Metrics src, Metrics dst, Directions directions) {
        MetricValue value = src.get(metric).orElse(null);
        if (value == null) {
            return result(null, false, "missing in SRC");
        }
        if (!value.isNumber()) {
            return result(value, false, "SRC value " + value + " is not a number");
        }
        if (Double.isNaN(value.asDouble())) {
            return result(value, false, "SRC value is NaN");
        }
        int cmp = value.isFinite() ? value.decimal().compareTo(threshold) : Double.compare(value.asDouble(), 0.0);
        boolean passed = comparison.accepts(cmp);
        String shown = MetricFormat.value(value);
        return result(value, passed, passed
                ? shown + " " + comparison.symbol() + " " + threshold
                : shown + " is not " + comparison.symbol() + " " + threshold);
    }

    private GateResult result(MetricValue value, boolean passed, String reason) {
        return new GateResult(metric, rule(), value, null, null, passed, reason);
    }
}
