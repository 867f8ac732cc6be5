package dev.mlv.metrics;

import dev.mlv.glob.Glob;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which way each metric improves. Configuration ({@code metrics.directions} in
 * {@code .mlv/config.json}) maps a key or a glob to {@code max} or {@code min}; keys nobody
 * configured get a default guessed from their name (see {@link DefaultDirections}'s rule, also
 * in {@code docs/metrics.md}).
 *
 * <p>Precedence, independent of the order of the configuration map: an exact key beats any
 * glob; among matching globs the one with the most literal (non-wildcard) characters wins, ties
 * going to the alphabetically first pattern. Globs are {@link Glob.Dialect#METRIC_KEY} ones:
 * {@code *} within a segment, {@code **} across segments, {@code ?} one character. Immutable.
 */
public final class Directions {
    private static final Directions DEFAULTS = new Directions(new TreeMap<>(), List.of());

    private record GlobRule(Glob glob, Direction direction) {
    }

    private final TreeMap<String, Direction> exact;
    private final List<GlobRule> globs;

    private Directions(TreeMap<String, Direction> exact, List<GlobRule> globs) {
        this.exact = exact;
        List<GlobRule> ordered = new ArrayList<>(globs);
        ordered.sort(Comparator.comparingInt((GlobRule r) -> -r.glob().literalChars())
                .thenComparing(r -> r.glob().pattern()));
        this.globs = List.copyOf(ordered);
    }

    /** Nothing configured: every key gets its default direction. */
    public static Directions defaults() {
        return DEFAULTS;
    }

    /**
     * Directions from configuration: key or glob to {@code "max"} or {@code "min"}.
     *
     * @throws MetricsException a value is neither {@code max} nor {@code min}, or a key is empty
     */
    public static Directions of(Map<String, String> configured) throws MetricsException {
        Directions result = DEFAULTS;
        for (Map.Entry<String, String> e : new TreeMap<>(configured).entrySet()) {
            result = result.with(e.getKey(), Direction.parse(e.getValue(), "metric '" + e.getKey() + "'"));
        }
        return result;
    }

    /**
     * These directions plus one rule (replacing an earlier rule for the same pattern).
     *
     * @throws MetricsException the pattern is empty or blank
     */
    public Directions with(String keyOrGlob, Direction direction) throws MetricsException {
        if (keyOrGlob == null || keyOrGlob.isBlank()) {
            throw new MetricsException(MetricsException.Kind.INVALID_DIRECTION,
                    "a metric direction needs a key or glob such as 'eval.loss' or '*.loss', got '" + keyOrGlob + "'");
        }
        TreeMap<String, Direction> newExact = new TreeMap<>(exact);
        List<GlobRule> newGlobs = new ArrayList<>(globs);
        newGlobs.removeIf(r -> r.glob().pattern().equals(keyOrGlob));
        newExact.remove(keyOrGlob);
        if (Glob.hasWildcards(keyOrGlob)) {
            newGlobs.add(new GlobRule(Glob.compile(Glob.Dialect.METRIC_KEY, keyOrGlob), direction));
        } else {
            newExact.put(keyOrGlob, direction);
        }
        return new Directions(newExact, newGlobs);
    }

    /** The direction of a key. */
    public Direction directionOf(String key) {
        return resolve(key).direction();
    }

    /** The direction of a key and whether configuration or the default decided it. */
    public ResolvedDirection resolve(String key) {
        Direction direction = exact.get(key);
        if (direction != null) {
            return new ResolvedDirection(direction, true, key);
        }
        for (GlobRule rule : globs) {
            if (rule.glob().matches(key)) {
                return new ResolvedDirection(rule.direction(), true, rule.glob().pattern());
            }
        }
        return DefaultDirections.resolve(key);
    }

    /** The configured rules, pattern to direction, sorted by pattern. */
    public Map<String, Direction> configured() {
        TreeMap<String, Direction> all = new TreeMap<>(exact);
        globs.forEach(r -> all.put(r.glob().pattern(), r.direction()));
        return Collections.unmodifiableMap(all);
    }

    @Override
    public String toString() {
        return "Directions" + configured();
    }
}
