package dev.mlv.core.workspace;

import dev.mlv.core.ErrorKind;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.data.internal.DataFollow;
import dev.mlv.core.internal.Branches;
import dev.mlv.core.internal.Pointers;
import dev.mlv.core.internal.RepoContent;
import dev.mlv.core.internal.Revisions;
import dev.mlv.core.internal.TreePaths;
import dev.mlv.core.workspace.internal.LargeFileCheckout;
import dev.mlv.core.workspace.internal.PreviousVersions;
import dev.mlv.core.workspace.internal.TreeDiff;
import dev.mlv.core.workspace.internal.WorkTreeChanges;
import dev.mlv.core.workspace.internal.WorkTreeSync;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import dev.mlv.git.IndexRefresh;
import dev.mlv.store.ProgressListener;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCacheCheckout;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * {@code mlv switch BRANCH}: check out a branch and materialise its large files from the store
 * (streamed, verified). Refuses, changing nothing, when the work tree has uncommitted changes or
 * when content the branch needs is missing from the local store.
 */
public final class Switch {
    private final MlvRepository repo;
    private boolean create;
    private String from;
    private ProgressListener progress = ProgressListener.NONE;

    public Switch(MlvRepository repo) {
        this.repo = repo;
    }

    /** Create the branch (at HEAD, or at {@link #setFrom}) instead of requiring it to exist. */
    /** Told the bytes of large files as checkout writes them, and their total once known. */
    /** Reports at most {@code total} bytes: a bar never passes 100%, whatever a checkout reads. */
    private static ProgressListener capped(ProgressListener listener, long total) {
        long[] reported = {0};
        return new ProgressListener() {
            @Override
            public synchronized void bytesDone(long bytes) {
                long n = Math.min(bytes, total - reported[0]);
                if (n > 0) {
                    reported[0] += n;
                    listener.bytesDone(n);
                }
            }

            @Override
            public void totalKnown(long bytes) {
                listener.totalKnown(bytes);
            }
        };
    }

    public Switch setProgress(ProgressListener progress) {
        this.progress = progress;
        return this;
    }

    public Switch setCreate(boolean create) {
        this.create = create;
        return this;
    }

    public Switch setFrom(String ref) {
        this.from = ref;
        return this;
    }

    /**
     * Where the work tree is now, and what changed to get there. {@code data} says where the data
     * submodule moved (null when it did not: no submodule, never cloned, or already at the
     * target's pin).
     */
    public record Result(String branch, String commit, boolean created, int filesUpdated, int largeFiles, long largeBytes,
                         DataMove data, List<String> warnings) {
    }

    /**
     * The data submodule's move: its path, the commit it left (null if none) and the one it is at
     * now (null when the target pins no data and its work tree was removed).
     */
    public record DataMove(String path, String from, String to) {
    }

    public Result call(String branch) throws MlvException {
        Branches.checkName(branch);
        Repository git = repo.git();
        String ref = Branches.refName(branch);
        try (RevWalk walk = new RevWalk(git); ObjectReader reader = git.newObjectReader()) {
            boolean exists = git.exactRef(ref) != null;
            if (exists && create) {
                throw MlvException.usage("branch '" + branch + "' already exists; switch to it with 'mlv switch " + branch + "'");
            }
            if (!exists && !create) {
                throw MlvException.notFound("branch '" + branch + "' not found; create it with 'mlv switch --create " + branch + "'");
            }
            if (from != null && !create) {
                throw MlvException.usage("--from goes with --create");
            }
            RevCommit target = Revisions.commit(git, walk, create ? (from == null ? Constants.HEAD : from) : ref);
            if (ref.equals(git.getFullBranch()) && !create) {
                return new Result(branch, target.name(), false, 0, 0, 0, null, List.of());
            }
            TreePaths.refuseUnsafe(reader, target, "branch '" + branch + "'");
            refuseIfDirty();
            ObjectId headTree = git.resolve(Constants.HEAD + "^{tree}");
            List<String> warnings = rawTrackedFiles(git, reader, headTree, target.getTree());
            List<WorkTreeSync.Needed> needed = WorkTreeSync.requireContent(repo, reader, headTree, target.getTree(),
                    "switch to '" + branch + "'");
            long bytes = needed.stream().mapToLong(n -> n.pointer().size()).sum();
            progress.totalKnown(bytes);
            int updated = countChanged(reader, headTree, target.getTree());
            DataMove moved = null;
            String what = "switch to '" + branch + "'";
            try (DataFollow data = DataFollow.plan(repo, reader, target, branch)) {
                WorkTreeSync.refuseConflicts(repo, headTree, target.getTree(), what);
                // the large files being replaced lend the chunks their new versions share with them
                var previous = PreviousVersions.offers(repo.workTree(), git.readDirCache(), reader, headTree, target.getTree());
                try (RepoContent.Reporting reporting = repo.content().reportReadsTo(capped(progress, bytes));
                     RepoContent.Reporting offered = repo.content().offerPrevious(previous);
                     LargeFileCheckout staged = LargeFileCheckout.stage(repo, reader, git.readDirCache(), headTree,
                             target.getTree(), what)) {
                    if (create) {
                        createBranch(git, ref, target);
                    }
                    checkout(headTree, target, staged, branch);
                } catch (org.eclipse.jgit.api.errors.JGitInternalException | IOException e) {
                    removeCheckoutLeftovers(repo.workTree(), reader, headTree, target.getTree());
                    throw contentError(branch, e);
                }
                moveHead(git, ref, branch);
                IndexRefresh.afterCheckout(git);
                if (data != null) {
                    DataFollow.Move m = data.apply();
                    moved = new DataMove(m.path(), m.from(), m.to());
                }
            }
            return new Result(branch, target.name(), create, updated, needed.size(), bytes, moved, List.copyOf(warnings));
        } catch (GitAPIException | IOException e) {
            throw new MlvException("cannot switch to '" + branch + "': " + e.getMessage(), e);
        }
    }

    /**
     * The work tree and index moved from HEAD's tree to the target's ({@link LargeFileCheckout#checkout});
     * an untracked file that appeared since the probe is a CONFLICT.
     */
    private void checkout(ObjectId headTree, RevCommit target, LargeFileCheckout staged, String branch)
            throws IOException, MlvException {
        DirCacheCheckout co;
        try {
            co = staged.checkout(repo.git(), headTree, target.getTree());
        } catch (org.eclipse.jgit.errors.CheckoutConflictException e) {
            throw new MlvException(ErrorKind.CONFLICT, "switching to '" + branch + "' would overwrite untracked files ("
                    + e.getMessage() + "); move them away or commit them first");
        }
        if (!co.getToBeDeleted().isEmpty()) {
            throw new MlvException("switching to '" + branch + "' did not complete: could not delete "
                    + WorkTreeSync.summary(co.getToBeDeleted()) + " (in use?); remove them, then run 'git checkout -f "
                    + branch + "'");
        }
    }

    /** Creates {@code ref} at {@code target}. */
    private void createBranch(Repository git, String ref, RevCommit target) throws MlvException {
        try (Git g = new Git(git)) {
            g.branchCreate().setName(Repository.shortenRefName(ref)).setStartPoint(target).call();
        } catch (GitAPIException e) {
            throw new MlvException("cannot create branch '" + Repository.shortenRefName(ref) + "': " + e.getMessage(), e);
        }
    }

    /** Points HEAD at {@code ref}, with the reflog entry git writes for a checkout. */
    private static void moveHead(Repository git, String ref, String branch) throws IOException, MlvException {
        Ref head = git.exactRef(Constants.HEAD);
        String was = head == null || head.getTarget() == null ? "HEAD"
                : head.isSymbolic() ? Repository.shortenRefName(head.getTarget().getName())
                : head.getObjectId() == null ? "HEAD" : head.getObjectId().name();
        RefUpdate u = git.updateRef(Constants.HEAD);
        u.setRefLogMessage("checkout: moving from " + was + " to " + branch, false);
        RefUpdate.Result r = u.link(ref);
        if (r != RefUpdate.Result.NEW && r != RefUpdate.Result.FORCED && r != RefUpdate.Result.NO_CHANGE) {
            throw new MlvException("the work tree is at '" + branch + "' but HEAD could not be moved (" + r
                    + "); run 'git checkout " + branch + "'");
        }
    }

    /**
     * A checkout stopped by the smudge filter: a chunk that failed its check (exit 6) or content
     * missing from the store; JGit may wrap the store's exception in its own.
     */
    private MlvException contentError(String branch, Exception e) throws IOException {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof dev.mlv.store.CorruptContentException) {
                return MlvException.integrity("cannot switch to '" + branch + "': " + t.getMessage()
                        + "; HEAD was not moved; 'mlv fsck' lists the damage", e);
            }
            if (t instanceof dev.mlv.store.ContentNotFoundException) {
                return new MlvException(ErrorKind.NOT_FOUND, "cannot switch to '" + branch + "': " + t.getMessage(), e);
            }
        }
        if (e instanceof IOException io) {
            throw io;
        }
        throw (RuntimeException) e;
    }

    /**
     * Deletes the temporary files ({@code ._NAME<digits>.tmp}, beside NAME) that JGit's checkout
     * leaves when a file's content fails mid-write, for the paths this switch was changing.
     */
    private static void removeCheckoutLeftovers(java.nio.file.Path workTree, ObjectReader reader, ObjectId fromTree, ObjectId toTree) {
        try (TreeWalk tw = TreeDiff.walk(reader, fromTree, toTree)) {
            while (tw.next()) {
                java.nio.file.Path file = workTree.resolve(tw.getPathString());
                String prefix = "._" + file.getFileName();
                try (var siblings = java.nio.file.Files.newDirectoryStream(file.getParent(),
                        p -> p.getFileName().toString().startsWith(prefix) && p.getFileName().toString().endsWith(".tmp")
                                && p.getFileName().toString().substring(prefix.length(), p.getFileName().toString().length() - 4)
                                .chars().allMatch(c -> c >= '0' && c <= '9'))) {
                    for (java.nio.file.Path leftover : siblings) {
                        java.nio.file.Files.deleteIfExists(leftover);
                    }
                } catch (IOException | java.nio.file.DirectoryIteratorException e) {
                    // the folder is gone or unreadable: nothing of ours to remove there
                }
            }
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(Switch.class).debug("leftover check: {}", e.getMessage());
        }
    }

    private void refuseIfDirty() throws MlvException, GitAPIException {
        try (Git g = new Git(repo.git())) {
            Status status = WorkTreeChanges.status(g);
            if (status.hasUncommittedChanges()) {
                List<String> paths = new ArrayList<>(status.getUncommittedChanges());
                String shown = paths.size() > 5 ? String.join(", ", paths.subList(0, 5)) + ", ..." : String.join(", ", paths);
                throw new MlvException("you have uncommitted changes (" + shown + "); commit them with 'mlv train-commit -m MSG'"
                        + " or discard them with 'git checkout -- PATH', then switch; nothing was changed");
            }
        }
    }

    /** Tracked paths of the target tree whose blobs are raw bytes instead of pointers. */
    private static List<String> rawTrackedFiles(Repository git, ObjectReader reader, ObjectId fromTree, ObjectId toTree)
            throws IOException {
        List<String> warnings = new ArrayList<>();
        try (TreeWalk tw = TreeDiff.walk(reader, fromTree, toTree)) {
            tw.setOperationType(TreeWalk.OperationType.CHECKOUT_OP);
            tw.setAttributesNodeProvider(git.createAttributesNodeProvider());
            while (tw.next()) {
                if (tw.getFileMode(1).getObjectType() == Constants.OBJ_BLOB && isTracked(tw)
                        && Pointers.read(reader, tw.getObjectId(1)) == null && reader.getObjectSize(tw.getObjectId(1), Constants.OBJ_BLOB) > 0) {
                    warnings.add(tw.getPathString() + " is a tracked large file but was committed as raw bytes;"
                            + " it is checked out as it is and becomes a pointer at its next train-commit");
                }
            }
        }
        return warnings;
    }

    private static boolean isTracked(TreeWalk tw) {
        var filter = tw.getAttributes().get("filter");
        return filter != null && "mlv".equals(filter.getValue());
    }

    private static int countChanged(ObjectReader reader, ObjectId fromTree, ObjectId toTree) throws IOException {
        int n = 0;
        try (TreeWalk tw = TreeDiff.walk(reader, fromTree, toTree)) {
            while (tw.next()) {
                n++;
            }
        }
        return n;
    }
}
