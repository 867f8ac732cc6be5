package dev.mlv.core.internal;

import dev.mlv.core.MlvException;
import dev.mlv.metrics.Metrics;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Reads commits' metrics straight from their trees, never from the work tree, caching by the id
 * of the {@code metrics/} subtree: branches that share their metrics files parse them once.
 * One instance per command, over one object reader.
 */
public final class CommitMetrics {
    private static final String DIRECTORY = "metrics";

    /** A commit's metrics, or why they could not be read. */
    public record Outcome(Metrics metrics, String error) {
        boolean ok() {
            return error == null;
        }
    }

    private static final Outcome NONE = new Outcome(Metrics.empty(), null);

    private final ObjectReader reader;
    private final Map<ObjectId, Outcome> byTree = new HashMap<>();

    public CommitMetrics(ObjectReader reader) {
        this.reader = reader;
    }

    /** The commit's metrics; a malformed file gives an outcome with the error, not an exception. */
    public Outcome of(RevCommit commit) throws IOException {
        ObjectId metricsTree;
        try (TreeWalk walk = TreeWalk.forPath(reader, DIRECTORY, commit.getTree())) {
            if (walk == null || walk.getFileMode(0) != FileMode.TREE) {
                return NONE;
            }
            metricsTree = walk.getObjectId(0);
        }
        Outcome cached = byTree.get(metricsTree);
        if (cached == null) {
            try {
                cached = new Outcome(MetricsLoader.fromMetricsTree(reader, metricsTree), null);
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
            throw new MlvException("cannot read the metrics of '" + ref + "': " + outcome.error());
        }
        return outcome.metrics();
    }
}
