package dev.mlv.core.remote;

import dev.mlv.core.internal.TreePaths;
import dev.mlv.core.AtomicFiles;
import dev.mlv.core.ErrorKind;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.StoreRemote;
import dev.mlv.core.Transfer;
import dev.mlv.core.gitinterop.GitConfigScope;
import dev.mlv.core.gitinterop.Install;
import dev.mlv.core.internal.RepoContent;
import dev.mlv.core.workspace.internal.LargeFileCheckout;
import dev.mlv.core.workspace.internal.PointerFiles;
import dev.mlv.core.workspace.internal.WorkTreeSync;
import dev.mlv.git.IndexRefresh;
import dev.mlv.git.LargeFileFilters;
import dev.mlv.store.ProgressListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.jgit.dircache.DirCacheCheckout;
import org.eclipse.jgit.lib.BranchConfig;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * {@code mlv pull [REMOTE] [BRANCH]}: fetch, then fast-forward the checked-out branch to the
 * remote's branch and materialise its large files. The content is downloaded, and the large files
 * written to temp files beside their paths ({@link LargeFileCheckout}), before the branch moves, so
 * a failed download or a damaged chunk changes nothing. Refuses when the branches have diverged or
 * the update would overwrite files Git does not track.
 */
public final class Pull {
    private final MlvRepository repo;
    private String remote;
    private String branch;
    private ProgressListener progress = ProgressListener.NONE;
    private String launcher = Install.DEFAULT_LAUNCHER;

    public Pull(MlvRepository repo) {
        this.repo = repo;
    }

    public Pull setRemote(String remote) {
        this.remote = remote;
        return this;
    }

    /** The remote's branch to take; default: the upstream of the checked-out branch, else the same name. */
    public Pull setBranch(String branch) {
        this.branch = branch;
        return this;
    }

    /** The mlv executable for the git filter, should pull have to configure it (see {@link Result}). */
    public Pull setLauncher(String launcher) {
        this.launcher = launcher == null || launcher.isBlank() ? Install.DEFAULT_LAUNCHER : launcher;
        return this;
    }

    public Pull setProgress(ProgressListener progress) {
        this.progress = progress;
        return this;
    }

    /**
     * {@code state}: up-to-date, fast-forward, or ahead (local has commits the remote lacks).
     * {@code filterConfigured}: the settings written to {@code .git/config} when pull wrote real
     * content into a clone whose git had no mlv filter (a plain {@code git clone}): without them
     * plain git would see every such file as modified. Empty otherwise.
     */
    public record Result(String remote, String branch, String remoteBranch, String state, String oldCommit,
                         String newCommit, int filesUpdated, Transfer content, List<String> filterConfigured) {
    }

    public Result call() throws MlvException {
        try {
            String full = repo.git().getFullBranch();
            if (full == null || !full.startsWith(Constants.R_HEADS)) {
                throw MlvException.usage("HEAD is detached; switch to a branch first ('mlv switch BRANCH')");
            }
            String local = full.substring(Constants.R_HEADS.length());
            BranchConfig bc = new BranchConfig(repo.git().getConfig(), local);
            String from = remote != null ? remote : bc.getRemote() != null ? bc.getRemote() : StoreRemote.DEFAULT_NAME;
            String theirs = branch != null ? branch
                    : bc.getMerge() != null && from.equals(bc.getRemote()) ? shortBranch(bc.getMerge()) : local;
            GitRemotes.require(repo, from);
            WorkTreeSync sync = WorkTreeSync.ifCheckedOut(repo, full);
            sync.refuseIfDirty("pull into");
            Fetch.fetchRefs(repo, from);
            Ref tracking = repo.git().exactRef(Constants.R_REMOTES + from + "/" + theirs);
            if (tracking == null) {
                throw MlvException.notFound("the Git remote '" + from + "' has no branch '" + theirs + "'; push it first"
                        + " with 'mlv push " + from + " " + theirs + "'");
            }
            try (RevWalk walk = new RevWalk(repo.git())) {
                RevCommit target = walk.parseCommit(tracking.getObjectId());
                TreePaths.refuseUnsafe(walk.getObjectReader(), target, from + "/" + theirs);
                Ref headRef = repo.git().exactRef(full);
                if (headRef == null || headRef.getObjectId() == null) {
                    throw MlvException.usage("branch '" + local + "' has no commit yet; clone instead ('mlv clone URL')");
                }
                RevCommit head = walk.parseCommit(headRef.getObjectId());
                if (head.equals(target)) {
                    // a plain 'git clone' leaves pointer files: pulling writes their content
                    int materialised = PointerFiles.materialise(repo);
                    return new Result(from, local, theirs, "up-to-date", head.name(), head.name(), materialised, Transfer.NONE,
                            materialised > 0 ? ensureGitFilter() : List.of());
                }
                if (walk.isMergedInto(target, head)) {
                    return new Result(from, local, theirs, "ahead", head.name(), head.name(), 0, Transfer.NONE, List.of());
                }
                walk.reset();
                if (!walk.isMergedInto(head, target)) {
                    throw new MlvException(ErrorKind.CONFLICT, "'" + local + "' and '" + from + "/" + theirs
                            + "' have diverged; merge them with 'git merge " + from + "/" + theirs + "' (or rebase),"
                            + " then 'mlv push'; nothing was changed");
                }
                // Content first: everything the new tree needs is local before the branch moves.
                Set<dev.mlv.store.Oid> oids = new LinkedHashSet<>();
                List<WorkTreeSync.Needed> needed;
                try (var reader = repo.git().newObjectReader()) {
                    needed = WorkTreeSync.largeFilesToWrite(reader, head.getTree(), target.getTree());
                    needed.forEach(n -> oids.add(n.pointer().oid()));
                }
                String what = "pull " + from + "/" + theirs;
                int updated;
                Transfer moved;
                // the large files are written (and every chunk checked) before the branch moves
                // the files the checkout writes several at once are written out whole as their chunks arrive
                try (RepoContent.Reporting downloaded = repo.content().writeOnDownload(
                        needed.stream().map(WorkTreeSync.Needed::pointer).toList(), repo.workTree());
                     var reader = repo.git().newObjectReader()) {
                    moved = Fetch.download(repo, oids, progress);
                    WorkTreeSync.requireSizes(repo, needed, what);
                    WorkTreeSync.refuseConflicts(repo, head.getTree(), target.getTree(), what);
                    try (LargeFileCheckout staged = LargeFileCheckout.stage(repo, reader, repo.git().readDirCache(),
                            head.getTree(), target.getTree(), what)) {
                        RefUpdate ru = repo.git().updateRef(full);
                        ru.setExpectedOldObjectId(head);
                        ru.setNewObjectId(target);
                        ru.setRefLogMessage("mlv pull: fast-forward to " + from + "/" + theirs, false);
                        RefUpdate.Result r = ru.update(walk);
                        if (r != RefUpdate.Result.FAST_FORWARD && r != RefUpdate.Result.FORCED) {
                            throw new MlvException(ErrorKind.CONFLICT, "'" + local + "' moved while pulling (" + r + "); run 'mlv pull' again");
                        }
                        updated = checkout(head, target, staged);
                    }
                }
                int materialised = PointerFiles.materialise(repo);
                return new Result(from, local, theirs, "fast-forward", head.name(), target.name(), updated + materialised, moved,
                        materialised > 0 ? ensureGitFilter() : List.of());
            }
        } catch (IOException e) {
            throw new MlvException("cannot pull: " + e.getMessage(), e);
        }
    }

    /** Configures the git filter locally, as 'mlv init' would, unless git already has one at any scope. */
    private List<String> ensureGitFilter() throws MlvException, IOException {
        if (repo.git().getConfig().getString("filter", LargeFileFilters.DRIVER, "process") != null) {
            return List.of();
        }
        Path gitDir = repo.git().getDirectory().toPath();
        Install.Result r = Install.configure(gitDir.resolve(Constants.CONFIG), GitConfigScope.LOCAL, launcher);
        AtomicFiles.excludeTempFiles(gitDir);
        return r.changed();
    }

    private static String shortBranch(String mergeRef) {
        return mergeRef.startsWith(Constants.R_HEADS) ? mergeRef.substring(Constants.R_HEADS.length()) : mergeRef;
    }

    /** The work tree and index moved from one tree to the other: the staged large files, then the rest by JGit. */
    private int checkout(RevCommit from, RevCommit to, LargeFileCheckout staged) throws MlvException {
        try {
            int updated;
            DirCacheCheckout co = staged.checkout(repo.git(), from.getTree(), to.getTree());
            updated = staged.installed() + co.getUpdated().size() + co.getRemoved().size();
            IndexRefresh.afterCheckout(repo.git());
            return updated;
        } catch (IOException e) {
            throw new MlvException("the branch moved, but updating the work tree failed (" + e.getMessage()
                    + "); run 'git checkout -f' to finish", e);
        }
    }
}
