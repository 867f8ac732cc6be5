package dev.mlv.core.experiment;

import dev.mlv.core.MlvException;
import dev.mlv.metrics.Tolerance;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tolerances of {@code mlv reproduce}: {@code T} for every metric, {@code METRIC=T} for one;
 * {@code T} is absolute ({@code 0.01}) or relative to the recorded value ({@code 1%}). Without
 * any, metrics must match exactly.
 */
record ReproduceTolerances(Tolerance fallback, Map<String, Tolerance> perMetric) {

    static ReproduceTolerances parse(List<String> specs) throws MlvException {
        Tolerance fallback = Tolerance.none();
        Map<String, Tolerance> perMetric = new LinkedHashMap<>();
        for (String spec : specs) {
            int eq = spec.lastIndexOf('=');
            if (eq < 0) {
                fallback = amount(spec, spec);
            } else if (eq == 0) {
                throw MlvException.usage("tolerance '" + spec + "' has no metric before '='; write METRIC=T, e.g. accuracy=0.01");
            } else {
                perMetric.put(spec.substring(0, eq).trim(), amount(spec.substring(eq + 1), spec));
            }
        }
        return new ReproduceTolerances(fallback, Map.copyOf(perMetric));
    }

    private static Tolerance amount(String text, String spec) throws MlvException {
        String t = text.trim();
        boolean relative = t.endsWith("%");
        try {
            BigDecimal amount = new BigDecimal(relative ? t.substring(0, t.length() - 1).trim() : t);
            if (amount.signum() < 0) {
                throw MlvException.usage("tolerance '" + spec + "' is negative; give a non-negative amount");
            }
            return new Tolerance(amount, relative);
        } catch (NumberFormatException e) {
            throw MlvException.usage("tolerance '" + spec + "' is not a number; write T (0.01), T% (1%) or METRIC=T");
        }
    }

    Tolerance of(String metric) {
        return perMetric.getOrDefault(metric, fallback);
    }

    /** Whether {@code reproduced} is within the metric's tolerance of {@code recorded}. */
    boolean within(String metric, double recorded, double reproduced) {
        if (recorded == reproduced || (Double.isNaN(recorded) && Double.isNaN(reproduced))) {
            return true;
        }
        if (!Double.isFinite(recorded) || !Double.isFinite(reproduced)) {
            return false;
        }
        BigDecimal diff = BigDecimal.valueOf(reproduced).subtract(BigDecimal.valueOf(recorded)).abs();
        return diff.compareTo(of(metric).allowance(BigDecimal.valueOf(recorded))) <= 0;
    }
}
