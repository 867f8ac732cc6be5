package dev.mlv.core.workspace.internal;

import dev.mlv.core.FileChange;
import dev.mlv.core.MlvRepository;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/** The files that differ between two trees, large files recognised by their pointers. */
public final class TreeDiff {
    private TreeDiff() {
    }

    public static List<FileChange> between(MlvRepository repo, ObjectReader reader, ObjectId from, ObjectId to) throws IOException {
        List<FileChange> changes = new ArrayList<>();
        try (TreeWalk tw = walk(reader, from, to)) {
            while (tw.next()) {
                FileMode before = tw.getFileMode(0);
                FileMode after = tw.getFileMode(1);
                String type = before == FileMode.MISSING ? "added" : after == FileMode.MISSING ? "deleted" : "modified";
                int side = after == FileMode.MISSING ? 0 : 1;
                changes.add(WorkTreeChanges.describe(reader, tw.getPathString(), type, tw.getObjectId(side), tw.getFileMode(side)));
            }
        }
        return changes;
    }

    /** A recursive walk over the paths that differ; tree 0 is {@code from} (empty when null). */
    public static TreeWalk walk(ObjectReader reader, ObjectId from, ObjectId to) throws IOException {
        TreeWalk tw = new TreeWalk(reader);
        if (from == null) {
            tw.addTree(new EmptyTreeIterator());
        } else {
            tw.addTree(from);
        }
        tw.addTree(to);
        tw.setRecursive(true);
        tw.setFilter(TreeFilter.ANY_DIFF);
        return tw;
    }
}
