package dev.mlv.core.experiment;

import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.data.internal.Submodules;
import dev.mlv.core.internal.CommitMetrics;
import dev.mlv.core.internal.MetricsLoader;
import dev.mlv.core.internal.Revisions;
import dev.mlv.core.workspace.internal.Trailers;
import dev.mlv.metrics.DiffRow;
import dev.mlv.metrics.DiffStatus;
import dev.mlv.metrics.Directions;
import dev.mlv.metrics.MetricFormat;
import dev.mlv.metrics.Metrics;
import dev.mlv.metrics.MetricsDiff;
import dev.mlv.metrics.MetricsFile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * {@code mlv metrics diff [A [B]]}: metric-by-metric comparison of two commits, or of a commit
 * and the work tree's {@code metrics/} (with one ref, or none for HEAD), with statuses decided by
 * each key's direction (see docs/metrics.md). With {@link #setParams} the same for
 * {@code params/} ({@code mlv params diff}): parameters have no direction, so a changed value is
 * CHANGED, never BETTER or WORSE.
 */
public final class MetricsCompare {
    /** How the work tree is named where a ref would be. */
    public static final String WORK_TREE = "(work tree)";

    private final MlvRepository repo;
    private String oldRef = Constants.HEAD;
    private String newRef;
    private boolean onlyChanged;
    private boolean params;

    public MetricsCompare(MlvRepository repo) {
        this.repo = repo;
    }

    /** The old side: a branch, tag or commit (HEAD when not set). */
    public MetricsCompare setOld(String ref) {
        this.oldRef = ref == null ? Constants.HEAD : ref;
        return this;
    }

    /** The new side: a branch, tag or commit; null for the work tree. */
    public MetricsCompare setNew(String ref) {
        this.newRef = ref;
        return this;
    }

    /** Leave out metrics whose value did not change. */
    public MetricsCompare setOnlyChanged(boolean onlyChanged) {
        this.onlyChanged = onlyChanged;
        return this;
    }

    /** Compare the parameters ({@code params/*.json}) rather than the metrics. */
    public MetricsCompare setParams(boolean params) {
        this.params = params;
        return this;
    }

    /** One side of the comparison; {@code commit} is null for the work tree. */
    public record Side(String ref, String commit, String shortCommit, String data) {
    }

    /**
     * One key. Changes are null unless both values are finite numbers (relative also needs a
     * non-zero old value); {@code status} is BETTER, WORSE, SAME, ADDED, REMOVED or CHANGED.
     */
    public record Change(String key, MetricCell oldValue, MetricCell newValue, Double absoluteChange,
                         String absoluteShown, Double relativeChange, String relativeShown, String status,
                         String direction, String directionRule) {
    }

    /** The comparison, with a count per status over all keys (also those --only-changed leaves out). */
    public record Result(Side oldSide, Side newSide, List<Change> rows, Map<String, Integer> counts) {
    }

    public Result call() throws MlvException {
        Repository git = repo.git();
        Directions directions = MetricKey.directions(repo);
        Side oldSide;
        Side newSide;
        Metrics oldMetrics;
        Metrics newMetrics;
        try (ObjectReader reader = git.newObjectReader(); RevWalk walk = new RevWalk(reader)) {
            CommitMetrics metrics = params ? CommitMetrics.params(reader) : new CommitMetrics(reader);
            RevCommit a = Revisions.commit(git, walk, oldRef);
            oldSide = new Side(oldRef, a.name(), Revisions.abbreviate(a), dataOf(reader, a));
            oldMetrics = metrics.require(a, oldRef);
            if (newRef == null) {
                newSide = new Side(WORK_TREE, null, null, Submodules.dataCommit(git));
                newMetrics = MetricsLoader.fromWorkTree(repo.workTree(),
                        params ? MetricsFile.PARAMS_DIRECTORY : MetricsFile.DIRECTORY);
            } else {
                RevCommit b = Revisions.commit(git, walk, newRef);
                newSide = new Side(newRef, b.name(), Revisions.abbreviate(b), dataOf(reader, b));
                newMetrics = metrics.require(b, newRef);
            }
        } catch (IOException e) {
            throw new MlvException("cannot read " + (params ? "parameters: " : "metrics: ") + e.getMessage(), e);
        }
        MetricsDiff diff = MetricsDiff.between(oldMetrics, newMetrics, directions);
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (DiffStatus s : DiffStatus.values()) {
            if (!params || (s != DiffStatus.BETTER && s != DiffStatus.WORSE)) {
                counts.put(s.name(), diff.count(s));
            }
        }
        if (params) {
            counts.merge(DiffStatus.CHANGED.name(), diff.count(DiffStatus.BETTER) + diff.count(DiffStatus.WORSE), Integer::sum);
        }
        List<Change> rows = new ArrayList<>();
        for (DiffRow r : (onlyChanged ? diff.onlyChanged() : diff).rows()) {
            MetricKey k = MetricKey.of(r.key(), directions);
            String status = params && (r.status() == DiffStatus.BETTER || r.status() == DiffStatus.WORSE)
                    ? DiffStatus.CHANGED.name() : r.status().name();
            rows.add(new Change(r.key(), MetricCell.of(r.oldValue()), MetricCell.of(r.newValue()), r.absoluteChange(),
                    r.absoluteChange() == null ? null : MetricFormat.change(r.absoluteChange()),
                    r.relativeChange(), r.relativeChange() == null ? null : MetricFormat.percent(r.relativeChange()),
                    status, params ? null : k.direction(), params ? null : k.directionRule()));
        }
        return new Result(oldSide, newSide, List.copyOf(rows), counts);
    }

    /** The data commit a commit pins: its data submodule's gitlink, else its Mlv-Data trailer; null when none. */
    private static String dataOf(ObjectReader reader, RevCommit commit) throws IOException {
        ObjectId link = Submodules.gitlink(reader, commit, Submodules.dataPath(reader, commit));
        return link != null ? link.name() : Trailers.dataCommit(commit);
    }
}
