package dev.mlv.core.experiment;

import dev.mlv.store.Pointer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.treewalk.TreeWalk;

/** Finds the large files of a tree: blobs that parse as pointer files. */
final class LargeFiles {
    private LargeFiles() {
    }

    /**
     * Every blob of the tree that is a valid pointer, in path order. Only blobs smaller than a
     * pointer's size limit are opened, so a tree of raw model bytes costs only its size lookups.
     */
    static List<ExperimentShow.LargeFile> in(ObjectReader reader, RevTree tree) throws IOException {
        List<ExperimentShow.LargeFile> found = new ArrayList<>();
        try (TreeWalk walk = new TreeWalk(reader)) {
            walk.addTree(tree);
            walk.setRecursive(true);
            while (walk.next()) {
                if (walk.getFileMode(0).getObjectType() != Constants.OBJ_BLOB) {
                    continue;
                }
                long size = reader.getObjectSize(walk.getObjectId(0), Constants.OBJ_BLOB);
                if (size <= 0 || size >= Pointer.MAX_ENCODED_SIZE) {
                    continue;
                }
                // a small file that only starts like a pointer is an ordinary file
                Pointer p = Pointer.tryParse(reader.open(walk.getObjectId(0), Constants.OBJ_BLOB).getBytes());
                if (p != null) {
                    found.add(new ExperimentShow.LargeFile(walk.getPathString(), p.size(), "sha256:" + p.oid().hex()));
                }
            }
        }
        return found;
    }
}
