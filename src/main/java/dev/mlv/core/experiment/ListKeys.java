package dev.mlv.core.experiment;

import dev.mlv.core.MlvException;
import dev.mlv.metrics.Directions;
import dev.mlv.metrics.Gate;
import dev.mlv.metrics.Gates;
import dev.mlv.metrics.KeySuggestion;
import dev.mlv.metrics.Metrics;
import dev.mlv.metrics.MetricsException;
import dev.mlv.metrics.RequireGate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * How {@code exp list} names a value in {@code --where} and {@code --sort}: {@code params.KEY}
 * is the parameter KEY (or, when no listed branch has that parameter, a metric of that full
 * name); a bare KEY is the metric KEY when a listed branch has it, else the parameter KEY.
 * {@code --where} expressions are {@code promote --require} gates ({@link RequireGate}), so
 * the syntax, the numbers and the quoting are the same.
 */
final class ListKeys {
    /** The prefix that names a parameter. */
    static final String PARAMS_PREFIX = "params.";
    private static final int MAX_KEYS_NAMED = 20;

    /** A resolved name: a parameter's or a metric's key. */
    record Ref(boolean param, String key) {
        Metrics of(Metrics metrics, Metrics params) {
            return param ? params : metrics;
        }

        /** As {@code exp list} names it: metrics bare, parameters with {@code params.}. */
        String shown() {
            return param ? PARAMS_PREFIX + key : key;
        }
    }

    /** A parsed {@code --where}: the gate, as written, on the resolved key. */
    record Where(String text, Ref ref, RequireGate gate) {
        boolean accepts(Metrics metrics, Metrics params, Directions directions) {
            return gate.evaluate(ref.of(metrics, params), Metrics.empty(), directions).passed();
        }
    }

    private final Set<String> metricKeys;
    private final Set<String> paramKeys;

    ListKeys(Set<String> metricKeys, Set<String> paramKeys) {
        this.metricKeys = metricKeys;
        this.paramKeys = paramKeys;
    }

    /** The value {@code name} names, or null when no listed branch has it. */
    Ref resolve(String name) {
        if (name.startsWith(PARAMS_PREFIX) && paramKeys.contains(name.substring(PARAMS_PREFIX.length()))) {
            return new Ref(true, name.substring(PARAMS_PREFIX.length()));
        }
        if (metricKeys.contains(name)) {
            return new Ref(false, name);
        }
        if (paramKeys.contains(name)) {
            return new Ref(true, name);
        }
        return null;
    }

    /**
     * Parses the expressions; a syntax error, or a name no listed branch has, is a usage error
     * naming the closest key and the keys there are.
     */
    List<Where> where(List<String> texts) throws MlvException {
        List<Where> out = new ArrayList<>();
        for (String text : texts) {
            Gate parsed;
            try {
                parsed = Gates.parse(List.of(text), List.of()).list().get(0);
            } catch (MetricsException e) {
                throw MlvException.usage("--where: " + e.getMessage().replace(" require gate ", " expression "));
            }
            RequireGate gate = (RequireGate) parsed;
            Ref ref = resolve(gate.metric());
            if (ref == null) {
                throw MlvException.usage("--where '" + text + "': " + unknown(gate.metric(), List.of()));
            }
            out.add(new Where(text, ref, new RequireGate(ref.key(), gate.comparison(), gate.threshold())));
        }
        return out;
    }

    /**
     * Why {@code name} names nothing: the nearest key, and the keys the listed branches have
     * (after {@code builtins}), metrics bare and parameters with {@code params.}.
     */
    String unknown(String name, List<String> builtins) {
        TreeSet<String> all = new TreeSet<>(metricKeys);
        paramKeys.forEach(k -> all.add(PARAMS_PREFIX + k));
        String guess = KeySuggestion.closest(name, all);
        if (guess == null && !name.startsWith(PARAMS_PREFIX)) {
            String param = KeySuggestion.closest(name, paramKeys);
            guess = param == null ? null : PARAMS_PREFIX + param;
        }
        return "no listed branch has a metric or parameter '" + name + "'"
                + (guess == null ? "" : "; did you mean '" + RequireGate.quoted(guess) + "'?")
                + "; known keys: " + named(builtins);
    }

    private String named(List<String> builtins) {
        List<String> all = new ArrayList<>(builtins);
        metricKeys.forEach(k -> all.add(RequireGate.quoted(k)));
        paramKeys.forEach(k -> all.add(RequireGate.quoted(PARAMS_PREFIX + k)));
        if (all.isEmpty()) {
            return "(none)";
        }
        return String.join(", ", all.subList(0, Math.min(all.size(), MAX_KEYS_NAMED)))
                + (all.size() > MAX_KEYS_NAMED ? ", ... (" + all.size() + " in all)" : "");
    }
}
