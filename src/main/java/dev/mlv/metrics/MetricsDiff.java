package dev.mlv.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The metric-by-metric comparison of two commits, one {@link DiffRow} per key of either side,
 * sorted by key. A number that moved is {@link DiffStatus#BETTER} or {@link DiffStatus#WORSE}
 * according to the key's {@link Direction}; infinities compare as numbers, NaN against a number
 * is {@link DiffStatus#CHANGED}. Immutable.
 */
public final class MetricsDiff {
    private final List<DiffRow> rows;

    private MetricsDiff(List<DiffRow> rows) {
        this.rows = List.copyOf(rows);
    }

    /** Compares {@code oldMetrics} (e.g. the base branch) with {@code newMetrics}. */
    public static MetricsDiff between(Metrics oldMetrics, Metrics newMetrics, Directions directions) {
        TreeSet<String> keys = new TreeSet<>(oldMetrics.keys());
        keys.addAll(newMetrics.keys());
        List<DiffRow> rows = new ArrayList<>(keys.size());
        for (String key : keys) {
            rows.add(row(key, oldMetrics.get(key).orElse(null), newMetrics.get(key).orElse(null), directions.resolve(key)));
        }
        return new MetricsDiff(rows);
    }

    static DiffRow row(String key, MetricValue oldValue, MetricValue newValue, ResolvedDirection direction) {
        if (oldValue == null) {
            return new DiffRow(key, null, newValue, null, null, DiffStatus.ADDED, direction);
        }
        if (newValue == null) {
            return new DiffRow(key, oldValue, null, null, null, DiffStatus.REMOVED, direction);
        }
        if (oldValue.sameAs(newValue)) {
            Double zero = oldValue.isFinite() ? 0.0 : null;
            Double relZero = oldValue.isFinite() && oldValue.asDouble() != 0 ? 0.0 : null;
            return new DiffRow(key, oldValue, newValue, zero, relZero, DiffStatus.SAME, direction);
        }
        if (!oldValue.isNumber() || !newValue.isNumber()
                || Double.isNaN(oldValue.asDouble()) || Double.isNaN(newValue.asDouble())) {
            return new DiffRow(key, oldValue, newValue, null, null, DiffStatus.CHANGED, direction);
        }
        double from = oldValue.asDouble();
        double to = newValue.asDouble();
        DiffStatus status = direction.direction().improves(from, to) ? DiffStatus.BETTER : DiffStatus.WORSE;
        Double absolute = null;
        Double relative = null;
        if (Double.isFinite(from) && Double.isFinite(to)) {
            absolute = to - from;
            relative = from == 0 ? null : (to - from) / Math.abs(from);
        }
        return new DiffRow(key, oldValue, newValue, absolute, relative, status, direction);
    }

    /** All rows, sorted by key. */
    public List<DiffRow> rows() {
        return rows;
    }

    /** The same diff without {@link DiffStatus#SAME} rows. */
    public MetricsDiff onlyChanged() {
        return new MetricsDiff(rows.stream().filter(r -> r.status() != DiffStatus.SAME).toList());
    }

    /** How many rows have the status. */
    public int count(DiffStatus status) {
        return (int) rows.stream().filter(r -> r.status() == status).count();
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }
}
