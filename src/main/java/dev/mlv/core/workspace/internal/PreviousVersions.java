package dev.mlv.core.workspace.internal;

import dev.mlv.core.internal.Pointers;
import dev.mlv.core.internal.RepoContent;
import dev.mlv.store.Oid;
import dev.mlv.store.Pointer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The large files a checkout is about to replace whose work-tree copy still holds the committed
 * version, as the index's stat data says (the rule status and commit trust): the new versions
 * can copy the chunks they share with them ({@link RepoContent#offerPrevious}).
 */
public final class PreviousVersions {
    private PreviousVersions() {
    }

    /**
     * For each large file that differs between {@code fromTree} (HEAD's, checked out and clean) and
     * {@code toTree}, keyed by the new version's oid: the work-tree file holding the old version,
     * when its index entry is stage 0, names that version, is not marked racily clean, and records
     * the file's current size and modification time.
     */
    public static Map<Oid, RepoContent.PreviousFile> offers(Path workTree, DirCache index, ObjectReader reader,
                                                            ObjectId fromTree, ObjectId toTree) throws IOException {
        Map<Oid, RepoContent.PreviousFile> offers = new HashMap<>();
        if (fromTree == null) {
            return offers;
        }
        try (TreeWalk tw = TreeDiff.walk(reader, fromTree, toTree)) {
            while (tw.next()) {
                if (tw.getFileMode(0) != FileMode.REGULAR_FILE && tw.getFileMode(0) != FileMode.EXECUTABLE_FILE
                        || tw.getFileMode(1) != FileMode.REGULAR_FILE && tw.getFileMode(1) != FileMode.EXECUTABLE_FILE) {
                    continue;
                }
                DirCacheEntry entry = index.getEntry(tw.getPathString());
                if (entry == null || entry.getStage() != 0 || entry.isSmudged() || !entry.getObjectId().equals(tw.getObjectId(0))) {
                    continue;
                }
                Pointer before = Pointers.read(reader, tw.getObjectId(0));
                Pointer after = before == null ? null : Pointers.read(reader, tw.getObjectId(1));
                if (after == null || offers.containsKey(after.oid())) {
                    continue;
                }
                RepoContent.PreviousFile file = RepoContent.PreviousFile.of(workTree.resolve(tw.getPathString()), before.oid());
                if (file != null && file.size() == before.size() && file.size() == entry.getLength()
                        && file.modified().toInstant().equals(entry.getLastModifiedInstant())) {
                    offers.put(after.oid(), file);
                }
            }
        }
        return offers;
    }
}
