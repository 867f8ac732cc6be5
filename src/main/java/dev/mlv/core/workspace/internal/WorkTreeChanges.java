package dev.mlv.core.workspace.internal;

import dev.mlv.core.FileChange;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.internal.Pointers;
import dev.mlv.git.LargeFileTreeIterator;
import dev.mlv.store.Pointer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCacheIterator;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;

import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/** What differs between HEAD and the index, with large files recognised by their pointers. */
public final class WorkTreeChanges {
    private WorkTreeChanges() {
    }

    /** Paths whose index entry differs from HEAD's tree. */
    public static List<FileChange> staged(MlvRepository repo) throws IOException {
        return staged(repo, repo.git().readDirCache());
    }

    /**
     * As {@link #staged(MlvRepository)}, in an index already read. Subtrees the index's cached
     * trees show equal to HEAD's are skipped without visiting their entries.
     */
    public static List<FileChange> staged(MlvRepository repo, org.eclipse.jgit.dircache.DirCache index) throws IOException {
        Repository git = repo.git();
        List<FileChange> changes = new ArrayList<>();
        ObjectId head = git.resolve(Constants.HEAD + "^{tree}");
        try (ObjectReader reader = git.newObjectReader(); TreeWalk walk = new TreeWalk(git, reader)) {
            walk.setRecursive(true);
            if (head == null) {
                walk.addTree(new EmptyTreeIterator());
            } else {
                CanonicalTreeParser parser = new CanonicalTreeParser();
                parser.reset(reader, head);
                walk.addTree(parser);
            }
            walk.addTree(new DirCacheIterator(index));
            walk.setFilter(TreeFilter.ANY_DIFF);
            while (walk.next()) {
                FileMode before = walk.getFileMode(0);
                FileMode after = walk.getFileMode(1);
                String type = before == FileMode.MISSING ? "added" : after == FileMode.MISSING ? "deleted" : "modified";
                int side = after == FileMode.MISSING ? 0 : 1;
                changes.add(describe(reader, walk.getPathString(), type, walk.getObjectId(side), walk.getFileMode(side)));
            }
        }
        return changes;
    }

    public static FileChange describe(ObjectReader reader, String path, String type, ObjectId blob, FileMode mode) throws IOException {
        if (mode.getObjectType() != Constants.OBJ_BLOB) {
            return new FileChange(path, type, false, 0, blob.name());
        }
        Pointer p = Pointers.read(reader, blob);
        if (p != null) {
            return new FileChange(path, type, true, p.size(), p.oid().hex());
        }
        return new FileChange(path, type, false, reader.getObjectSize(blob, Constants.OBJ_BLOB), blob.name());
    }

    /** Whether the work tree and index match HEAD (untracked, unignored files count as changes). */
    public static boolean isClean(MlvRepository repo) throws MlvException {
        try (Git g = new Git(repo.git())) {
            return status(g).isClean();
        } catch (GitAPIException e) {
            throw new MlvException("cannot read the work tree's status: " + e.getMessage(), e);
        }
    }

    /**
     * The work tree's status. A submodule counts as changed when its checked-out commit differs
     * from the index, not for changes inside it: JGit would open it without mlv's filters and
     * see every materialised large file as modified. {@link DataModule#dirtyPaths} checks inside.
     * A large file whose stat data changed but not its bytes (a {@code touch}) costs one SHA-256
     * pass ({@link LargeFileTreeIterator}), and its index entry is refreshed so the next status
     * does not read it again.
     */
    public static org.eclipse.jgit.api.Status status(Git g) throws GitAPIException {
        LargeFileTreeIterator workTree = new LargeFileTreeIterator(g.getRepository());
        org.eclipse.jgit.api.Status status = g.status().setWorkingTreeIt(workTree)
                .setIgnoreSubmodules(org.eclipse.jgit.submodule.SubmoduleWalk.IgnoreSubmoduleMode.DIRTY).call();
        try {
            workTree.refreshIndex();
        } catch (IOException e) {
            // only a cache: the next status checks the file's content again
            org.slf4j.LoggerFactory.getLogger(WorkTreeChanges.class).debug("index not refreshed: {}", e.getMessage());
        }
        return status;
    }

}
