package dev.mlv.metrics;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A commit's metrics: flattened keys in sorted order, each with its value and origin, plus the
 * values that were skipped. Immutable. Built by {@link MetricsParser} or, in tests and for
 * values from elsewhere, by {@link #of(Map)}.
 */
public final class Metrics {
    private static final Metrics EMPTY = new Metrics(new TreeMap<>(), List.of());

    private final SortedMap<String, Metric> byKey;
    private final List<SkippedValue> skipped;

    Metrics(TreeMap<String, Metric> byKey, List<SkippedValue> skipped) {
        this.byKey = Collections.unmodifiableSortedMap(byKey);
        this.skipped = List.copyOf(skipped);
    }

    /** No metrics: a commit without a {@code metrics/} directory. */
    public static Metrics empty() {
        return EMPTY;
    }

    /** Metrics from given values; their origin is recorded as {@code (given)}. */
    public static Metrics of(Map<String, MetricValue> values) {
        TreeMap<String, Metric> map = new TreeMap<>();
        values.forEach((key, value) -> map.put(key, new Metric(key, value, "(given)", "")));
        return new Metrics(map, List.of());
    }

    /** The value of a key, if the commit has it. */
    public Optional<MetricValue> get(String key) {
        Metric metric = byKey.get(key);
        return metric == null ? Optional.empty() : Optional.of(metric.value());
    }

    /** The metric with its origin, if the commit has it. */
    public Optional<Metric> metric(String key) {
        return Optional.ofNullable(byKey.get(key));
    }

    public boolean contains(String key) {
        return byKey.containsKey(key);
    }

    /** All keys, sorted. */
    public SortedSet<String> keys() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(byKey.keySet()));
    }

    /** All metrics in key order. */
    public List<Metric> list() {
        return List.copyOf(byKey.values());
    }

    /** Key to value, in key order. */
    public SortedMap<String, MetricValue> values() {
        TreeMap<String, MetricValue> map = new TreeMap<>();
        byKey.forEach((key, metric) -> map.put(key, metric.value()));
        return Collections.unmodifiableSortedMap(map);
    }

    /** Values in the files that did not become metrics, in file order. */
    public List<SkippedValue> skipped() {
        return skipped;
    }

    public int size() {
        return byKey.size();
    }

    public boolean isEmpty() {
        return byKey.isEmpty();
    }

    @Override
    public String toString() {
        return values().toString();
    }
}
