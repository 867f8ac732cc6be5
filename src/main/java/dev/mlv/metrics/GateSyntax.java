package dev.mlv.metrics;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/** Pieces shared by the two gate parsers, so flags and configuration read the same way. */
final class GateSyntax {
    static final String OPERATOR_CHARS = "<>=!";
    static final String REQUIRE_FORM = "write METRIC OP NUMBER with OP one of >= > <= < == !=, e.g. 'accuracy>=0.9'";
    static final String NO_REGRESS_FORM =
            "write METRIC or METRIC:TOLERANCE, e.g. 'accuracy', 'accuracy:0.01' (absolute) or 'accuracy:1%' (relative)";

    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    private GateSyntax() {
    }

    static boolean isOperatorChar(char c) {
        return OPERATOR_CHARS.indexOf(c) >= 0;
    }

    /** A decimal number such as {@code 0.9}, {@code -3}, {@code 1e-3}; null when the text is not one. */
    static BigDecimal number(String text) {
        if (!NUMBER.matcher(text).matches()) {
            return null;
        }
        return new BigDecimal(text.startsWith("+") ? text.substring(1) : text);
    }

    /** Null when the name is a usable metric key, else what is wrong with it. */
    static String metricProblem(String metric) {
        return metricProblem(metric, false);
    }

    /** Like {@link #metricProblem(String)}; a quoted name may hold spaces (not control characters). */
    static String metricProblem(String metric, boolean quoted) {
        if (metric.isEmpty()) {
            return "it names no metric";
        }
        for (int i = 0; i < metric.length(); i++) {
            char c = metric.charAt(i);
            if (Character.isISOControl(c)) {
                return "metric name '" + metric + "' contains a control character";
            }
            if (!quoted && Character.isWhitespace(c)) {
                return "metric name '" + metric + "' contains a space; put the name in double quotes: '\"" + metric + "\">=0.9'";
            }
        }
        if (metric.length() > MetricsParser.MAX_KEY_LENGTH) {
            return "metric name is longer than " + MetricsParser.MAX_KEY_LENGTH + " characters";
        }
        return null;
    }

    static MetricsException error(String kind, String text, String problem, String form) {
        return new MetricsException(MetricsException.Kind.INVALID_GATE,
                "invalid " + kind + " gate '" + text + "': " + problem + "; " + form);
    }
}
