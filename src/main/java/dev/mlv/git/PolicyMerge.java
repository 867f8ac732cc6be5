package dev.mlv.git;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.merge.MergeStrategy;
import org.eclipse.jgit.merge.ResolveMerger;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * A three-way merge in memory where each path follows a policy: take the source's version, keep
 * the target's, or merge normally. Paths with a side taken are made equal in all three trees
 * before JGit's resolve merger runs, so they can never conflict; every other path merges as
 * {@code git merge} would.
 */
public final class PolicyMerge {
    /** What a path's merge result is. */
    public enum Side { SOURCE, TARGET, MERGE }

    /** The merged tree, or the paths that conflicted (then {@code tree} is null). */
    public record Outcome(ObjectId tree, List<String> conflicts) {
        public boolean clean() {
            return conflicts.isEmpty();
        }
    }

    private PolicyMerge() {
    }

    /**
     * Merges {@code source} into {@code target} with {@code base} as their common ancestor (null
     * for none). New objects go through {@code inserter}; the caller flushes it.
     */
    public static Outcome merge(Repository repo, ObjectInserter inserter, ObjectId base, ObjectId target,
                                ObjectId source, Function<String, Side> policy) throws IOException {
        try (ObjectReader reader = inserter.newReader()) {
            ObjectId baseTree = base == null ? null : rewrite(reader, inserter, base, target, source, policy);
            ObjectId ours = rewrite(reader, inserter, target, target, source, policy);
            ObjectId theirs = rewrite(reader, inserter, source, target, source, policy);
            inserter.flush();
            ResolveMerger merger = (ResolveMerger) MergeStrategy.RESOLVE.newMerger(repo, true);
            merger.setObjectInserter(inserter);
            if (baseTree != null) {
                merger.setBase(baseTree);
            } else {
                merger.setBase(emptyTree(inserter));
            }
            if (merger.merge(ours, theirs)) {
                return new Outcome(merger.getResultTreeId(), List.of());
            }
            List<String> conflicts = new ArrayList<>(merger.getUnmergedPaths());
            if (merger.getFailingPaths() != null) {
                merger.getFailingPaths().keySet().stream().filter(p -> !conflicts.contains(p)).forEach(conflicts::add);
            }
            conflicts.sort(null);
            return new Outcome(null, List.copyOf(conflicts));
        }
    }

    /** {@code own} with SOURCE paths replaced by the source tree's entries and TARGET paths by the target's. */
    private static ObjectId rewrite(ObjectReader reader, ObjectInserter inserter, ObjectId own, ObjectId target,
                                    ObjectId source, Function<String, Side> policy) throws IOException {
        DirCache dc = DirCache.newInCore();
        DirCacheBuilder builder = dc.builder();
        try (TreeWalk tw = new TreeWalk(reader)) {
            tw.addTree(own);
            tw.addTree(target);
            tw.addTree(source);
            tw.setRecursive(true);
            while (tw.next()) {
                Side side = policy.apply(tw.getPathString());
                int from = switch (side) {
                    case SOURCE -> 2;
                    case TARGET -> 1;
                    case MERGE -> 0;
                };
                FileMode mode = tw.getFileMode(from);
                if (mode == FileMode.MISSING) {
                    continue;
                }
                DirCacheEntry entry = new DirCacheEntry(tw.getRawPath());
                entry.setFileMode(mode);
                entry.setObjectId(tw.getObjectId(from));
                builder.add(entry);
            }
        }
        builder.finish();
        return dc.writeTree(inserter);
    }

    private static ObjectId emptyTree(ObjectInserter inserter) throws IOException {
        return inserter.insert(new org.eclipse.jgit.lib.TreeFormatter());
    }
}
