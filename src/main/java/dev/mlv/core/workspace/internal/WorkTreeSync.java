package dev.mlv.core.workspace.internal;

import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.internal.ContentRemote;
import dev.mlv.core.internal.Pointers;
import dev.mlv.git.IndexRefresh;
import dev.mlv.store.Pointer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCacheCheckout;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Keeping the work tree in step when an operation moves the checked-out branch (promote,
 * rollback): refuse up front when it has uncommitted changes or when content the new tree needs
 * is missing, then update it after the branch has moved.
 */
public final class WorkTreeSync {
    private final MlvRepository repo;
    private final boolean active;
    private final String branch;

    private WorkTreeSync(MlvRepository repo, boolean active, String branch) {
        this.repo = repo;
        this.active = active;
        this.branch = branch;
    }

    /** Active only when {@code ref} is the branch checked out in the work tree. */
    public static WorkTreeSync ifCheckedOut(MlvRepository repo, String ref) throws IOException {
        return new WorkTreeSync(repo, ref.equals(repo.git().getFullBranch()), repo.git().getBranch());
    }

    public void refuseIfDirty(String verb) throws MlvException {
        if (!active) {
            return;
        }
        try (Git g = new Git(repo.git())) {
            Status status = WorkTreeChanges.status(g);
            if (status.hasUncommittedChanges()) {
                throw new MlvException("cannot " + verb + " '" + branch + "': it is checked out and has uncommitted changes ("
                        + summary(new ArrayList<>(status.getUncommittedChanges())) + "); commit or discard them first;"
                        + " nothing was changed");
            }
        } catch (GitAPIException e) {
            throw new MlvException("cannot read the work tree's status: " + e.getMessage(), e);
        }
    }

    /** NOT_FOUND, changing nothing, when content the work tree would need is not in the local store. */
    public void checkContent(ObjectReader reader, ObjectId fromTree, ObjectId toTree) throws MlvException, IOException {
        if (active) {
            requireContent(repo, reader, fromTree, toTree, "update the work tree of '" + branch + "'");
        }
    }

    /**
     * Writes the new tree into the work tree and index, the large files under 8 MiB several at once
     * first ({@link LargeFileCheckout}); false when the branch is not checked out.
     */
    public boolean update(ObjectId fromTree, ObjectId toTree) throws MlvException {
        if (!active) {
            return false;
        }
        try (ObjectReader reader = repo.git().newObjectReader();
             LargeFileCheckout staged = stage(reader, fromTree, toTree)) {
            staged.checkout(repo.git(), fromTree, toTree);
            IndexRefresh.afterCheckout(repo.git());
            return true;
        } catch (IOException e) {
            throw new MlvException("the branch moved, but updating the work tree failed (" + e.getMessage()
                    + "); run 'git checkout -f " + branch + "' to finish", e);
        }
    }

    /**
     * CONFLICT, changing nothing, when moving the work tree from {@code fromTree} (null: none) to
     * {@code toTree} would overwrite files Git does not track (or remove a folder holding some):
     * JGit's checkout would refuse the same, but only once it has begun.
     */
    public static void refuseConflicts(MlvRepository repo, ObjectId fromTree, ObjectId toTree, String what)
            throws MlvException, IOException {
        DirCacheCheckout probe = fromTree == null ? new DirCacheCheckout(repo.git(), repo.git().readDirCache(), toTree)
                : new DirCacheCheckout(repo.git(), fromTree, repo.git().readDirCache(), toTree);
        probe.preScanTwoTrees();
        if (!probe.getConflicts().isEmpty()) {
            throw new MlvException(dev.mlv.core.ErrorKind.CONFLICT, "cannot " + what + ": it would overwrite files in the"
                    + " work tree that are not committed: " + summary(probe.getConflicts()) + "; move them away or commit"
                    + " them first; nothing was changed");
        }
    }

    /** The staged large files, or what stopped them, said as the branch having moved already. */
    private LargeFileCheckout stage(ObjectReader reader, ObjectId fromTree, ObjectId toTree) throws MlvException, IOException {
        try {
            return LargeFileCheckout.stage(repo, reader, repo.git().readDirCache(), fromTree, toTree,
                    "update the work tree of '" + branch + "'");
        } catch (MlvException e) {
            throw new MlvException(e.kind(), "the branch moved, but " + e.getMessage().replace("; nothing was changed", "")
                    + "; the work tree is as it was: run 'git checkout -f " + branch + "' to finish", e);
        }
    }

    /** The large files that moving from one tree to the other writes, with their pointers. */
    public record Needed(String path, Pointer pointer) {
    }

    public static List<Needed> largeFilesToWrite(ObjectReader reader, ObjectId fromTree, ObjectId toTree) throws IOException {
        List<Needed> needed = new ArrayList<>();
        try (TreeWalk tw = TreeDiff.walk(reader, fromTree, toTree)) {
            while (tw.next()) {
                if (tw.getFileMode(1).getObjectType() == Constants.OBJ_BLOB) {
                    Pointer p = Pointers.read(reader, tw.getObjectId(1));
                    if (p != null) {
                        needed.add(new Needed(tw.getPathString(), p));
                    }
                }
            }
        }
        return needed;
    }

    public static List<Needed> requireContent(MlvRepository repo, ObjectReader reader, ObjectId fromTree, ObjectId toTree,
                                       String what) throws MlvException, IOException {
        List<Needed> needed = largeFilesToWrite(reader, fromTree, toTree);
        List<dev.mlv.store.Oid> absent = new ArrayList<>();
        for (Needed n : needed) {
            if (!repo.content().has(n.pointer().oid())) {
                absent.add(n.pointer().oid());
            }
        }
        // Lazy content: what is missing comes from the default store remote, before anything changes.
        ContentRemote.fetchMissing(repo, absent);
        List<String> missing = new ArrayList<>();
        for (Needed n : needed) {
            if (!repo.content().has(n.pointer().oid())) {
                missing.add(n.path() + " (sha256:" + n.pointer().oid().hex().substring(0, 12) + ", " + n.pointer().size() + " bytes)");
            }
        }
        if (!missing.isEmpty()) {
            throw MlvException.notFound("cannot " + what + ": the content of " + missing.size()
                    + " large file(s) is not in the local store: " + summary(missing)
                    + "; fetch it with 'mlv pull', then run the command again; nothing was changed");
        }
        requireSizes(repo, needed, what);
        return needed;
    }

    /**
     * Integrity error (exit 6), changing nothing, when a pointer's size disagrees with the content
     * stored under its oid: checked out, such a file would fail midway, after the branch moved.
     */
    public static void requireSizes(MlvRepository repo, List<Needed> needed, String what) throws MlvException, IOException {
        for (Needed n : needed) {
            long stored = repo.content().store().manifest(n.pointer().oid()).size();
            if (stored != n.pointer().size()) {
                throw MlvException.integrity("cannot " + what + ": the pointer of " + n.path() + " says " + n.pointer().size()
                        + " bytes, but its content sha256:" + n.pointer().oid().hex() + " has " + stored
                        + "; the pointer is damaged (commit the file again to fix it); nothing was changed", null);
            }
        }
    }

    public static String summary(List<String> items) {
        return items.size() > 5 ? String.join(", ", items.subList(0, 5)) + ", and " + (items.size() - 5) + " more"
                : String.join(", ", items);
    }
}
