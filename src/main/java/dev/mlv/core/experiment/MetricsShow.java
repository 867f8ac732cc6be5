package dev.mlv.core.experiment;

import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.internal.CommitMetrics;
import dev.mlv.core.internal.Revisions;
import dev.mlv.metrics.Directions;
import dev.mlv.metrics.Metrics;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/** {@code mlv metrics show [REF...]}: the metrics of one or more commits, side by side, with directions. */
public final class MetricsShow {
    private final MlvRepository repo;
    private List<String> refs = List.of(Constants.HEAD);

    public MetricsShow(MlvRepository repo) {
        this.repo = repo;
    }

    /** The commits to show; HEAD when empty. */
    public MetricsShow setRefs(List<String> refs) {
        this.refs = refs.isEmpty() ? List.of(Constants.HEAD) : List.copyOf(refs);
        return this;
    }

    /** A column: what the user named and the commit it resolved to. */
    public record Source(String ref, String commit, String shortCommit) {
    }

    /** One key: its direction and one value per source, in source order (null where a source lacks it). */
    public record Row(String key, String direction, String directionRule, List<MetricCell> values) {
    }

    /** The sources (columns) and the keys (rows) of every source, in key order. */
    public record Result(List<Source> sources, List<Row> rows) {
        /**
         * One source's metrics as flattened key ({@code eval.f1}) to value, in key order; keys
         * that source lacks are left out. {@code source} indexes {@link #sources()}.
         */
        public Map<String, MetricCell> values(int source) {
            Objects.checkIndex(source, sources.size());
            Map<String, MetricCell> values = new LinkedHashMap<>();
            for (Row row : rows) {
                MetricCell cell = row.values().get(source);
                if (cell != null) {
                    values.put(row.key(), cell);
                }
            }
            return Collections.unmodifiableMap(values);
        }
    }

    public Result call() throws MlvException {
        Repository git = repo.git();
        Directions directions = MetricKey.directions(repo);
        List<Source> sources = new ArrayList<>();
        List<Metrics> all = new ArrayList<>();
        try (ObjectReader reader = git.newObjectReader(); RevWalk walk = new RevWalk(reader)) {
            CommitMetrics metrics = new CommitMetrics(reader);
            for (String ref : refs) {
                RevCommit c = Revisions.commit(git, walk, ref);
                sources.add(new Source(ref, c.name(), Revisions.abbreviate(c)));
                all.add(metrics.require(c, ref));
            }
        } catch (IOException e) {
            throw new MlvException("cannot read metrics: " + e.getMessage(), e);
        }
        TreeSet<String> keys = new TreeSet<>();
        all.forEach(m -> keys.addAll(m.keys()));
        List<Row> rows = new ArrayList<>();
        for (String key : keys) {
            List<MetricCell> values = new ArrayList<>();
            all.forEach(m -> values.add(MetricCell.of(m.get(key).orElse(null))));
            MetricKey k = MetricKey.of(key, directions);
            rows.add(new Row(key, k.direction(), k.directionRule(), Collections.unmodifiableList(values)));
        }
        return new Result(List.copyOf(sources), List.copyOf(rows));
    }
}
