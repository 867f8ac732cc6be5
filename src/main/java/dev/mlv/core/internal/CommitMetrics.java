package dev.mlv.core.internal;

import dev.mlv.core.MlvException;
import dev.mlv.metrics.Metrics;
import dev.mlv.metrics.MetricsFile;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Reads commits' metrics (or, from {@link #params}, parameters) straight from their trees, never
 * from the work tree, caching by the id of the {@code metrics/} ({@code params/}) subtree:
 * branches that share those files parse them once. One instance per command, over one object reader.
 */
public final class CommitMetrics {

    /** A commit's metrics, or why they could not be read. */
    public record Outcome(Metrics metrics, String error) {
        boolean ok() {
            return error == null;
        }
    }

    private static final Outcome NONE = new Outcome(Metrics.empty(), null);

    private final ObjectReader reader;
    private final String directory;
    private final Map<ObjectId, Outcome> byTree = new HashMap<>();

    /** Reads {@code metrics/}. */
    public CommitMetrics(ObjectReader reader) {
        this(reader, MetricsFile.DIRECTORY);
    }

    private CommitMetrics(ObjectReader reader, String directory) {
        this.reader = reader;
        this.directory = directory;
    }

    /** Reads {@code params/*.json}, flattened as metrics are. */
    public static CommitMetrics params(ObjectReader reader) {
        return new CommitMetrics(reader, MetricsFile.PARAMS_DIRECTORY);
    }

    /** The commit's metrics; a malformed file gives an outcome with the error, not an exception. */
    public Outcome of(RevCommit commit) throws IOException {
        ObjectId metricsTree;
        try (TreeWalk walk = TreeWalk.forPath(reader, directory.substring(0, directory.length() - 1), commit.getTree())) {
            if (walk == null || walk.getFileMode(0) != FileMode.TREE) {
                return NONE;
            }
            metricsTree = walk.getObjectId(0);
        }
        Outcome cached = byTree.get(metricsTree);
        if (cached == null) {
            try {
                cached = new Outcome(MetricsLoader.fromMetricsTree(reader, metricsTree, directory), null);
            } catch (MlvException e) {
                cached = new Outcome(Metrics.empty(), e.getMessage());
            }
            byTree.put(metricsTree.copy(), cached);
        }
        return cached;
    }

    /** Like {@link #of}, but a malformed file is an error. */
    public Metrics require(RevCommit commit, String ref) throws IOException, MlvException {
        Outcome outcome = of(commit);
        if (!outcome.ok()) {
            throw new MlvException("cannot read the " + (directory.equals(MetricsFile.DIRECTORY) ? "metrics" : "parameters")
                    + " of '" + ref + "': " + outcome.error());
        }
        return outcome.metrics();
    }
}
