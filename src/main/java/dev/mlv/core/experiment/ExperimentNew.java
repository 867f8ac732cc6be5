package dev.mlv.core.experiment;

import dev.mlv.core.ErrorKind;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.data.internal.DataFollow;
import dev.mlv.core.internal.Branches;
import dev.mlv.core.internal.Revisions;
import dev.mlv.core.workspace.Switch;
import dev.mlv.core.workspace.internal.WorkTreeChanges;
import dev.mlv.git.IndexRefresh;
import java.io.IOException;
import java.util.List;
import java.util.TreeSet;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.errors.CheckoutConflictException;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * {@code mlv exp new NAME [--from REF]}: a new experiment branch, checked out. From HEAD the work
 * tree is left as it is (uncommitted changes carry over, as with {@code git switch -c}); from
 * another commit the work tree is switched to it (large files restored through the smudge
 * filter), which is refused while uncommitted changes would be lost.
 */
public final class ExperimentNew {
    private final MlvRepository repo;
    private String name;
    private String from;

    public ExperimentNew(MlvRepository repo) {
        this.repo = repo;
    }

    public ExperimentNew setName(String name) {
        this.name = name;
        return this;
    }

    /** Where the branch starts: a branch, tag or commit; null for HEAD. */
    public ExperimentNew setFrom(String ref) {
        this.from = ref;
        return this;
    }

    /**
     * The new branch and where it starts; {@code previousBranch} is null when HEAD was detached;
     * {@code data} says where the data submodule moved (null when it did not).
     */
    public record Result(String branch, String commit, String shortCommit, String from, String previousBranch,
                         boolean workTreeChanged, Switch.DataMove data) {
    }

    public Result call() throws MlvException {
        if (name == null || name.isBlank()) {
            throw MlvException.usage("give the experiment a name, e.g. mlv exp new lr-3e-4");
        }
        Branches.checkName(name);
        Repository git = repo.git();
        String ref = Branches.refName(name);
        String start = from == null ? Constants.HEAD : from;
        try (RevWalk walk = new RevWalk(git); Git g = new Git(git)) {
            if (git.exactRef(ref) != null) {
                throw MlvException.usage("branch '" + name + "' already exists; switch to it with 'mlv switch " + name
                        + "' or choose another name");
            }
            RevCommit commit = Revisions.commit(git, walk, start);
            ObjectId head = git.resolve(Constants.HEAD);
            boolean moves = !commit.equals(head);
            if (moves) {
                refuseUncommittedChanges(g, start);
            }
            String previous = git.getFullBranch();
            Switch.DataMove moved = null;
            // From another commit the data submodule follows to that commit's pin, as with mlv switch.
            try (ObjectReader reader = git.newObjectReader();
                 DataFollow data = moves ? DataFollow.plan(repo, reader, commit, name) : null) {
                g.checkout().setCreateBranch(true).setName(name).setStartPoint(commit).call();
                if (moves) {
                    IndexRefresh.afterCheckout(git);
                }
                if (data != null) {
                    DataFollow.Move m = data.apply();
                    moved = new Switch.DataMove(m.path(), m.from(), m.to());
                }
            }
            return new Result(name, commit.name(), Revisions.abbreviate(commit), start,
                    previous != null && previous.startsWith(Constants.R_HEADS) ? Repository.shortenRefName(previous) : null,
                    moves, moved);
        } catch (CheckoutConflictException e) {
            throw new MlvException(ErrorKind.CONFLICT, "cannot switch to '" + start + "': it would overwrite "
                    + String.join(", ", e.getConflictingPaths()) + "; commit or move those files first. Nothing was changed");
        } catch (GitAPIException | IOException e) {
            throw new MlvException("cannot create branch '" + name + "': " + e.getMessage(), e);
        }
    }

    private static void refuseUncommittedChanges(Git g, String start) throws MlvException, GitAPIException {
        // Dirty content inside the data submodule is judged by DataFollow (by content, not stat).
        Status status = WorkTreeChanges.status(g);
        if (!status.hasUncommittedChanges()) {
            return;
        }
        TreeSet<String> paths = new TreeSet<>();
        paths.addAll(status.getAdded());
        paths.addAll(status.getChanged());
        paths.addAll(status.getRemoved());
        paths.addAll(status.getModified());
        paths.addAll(status.getMissing());
        paths.addAll(status.getConflicting());
        List<String> shown = paths.stream().limit(5).toList();
        String more = paths.size() > shown.size() ? " and " + (paths.size() - shown.size()) + " more" : "";
        throw new MlvException(ErrorKind.CONFLICT, "the work tree has uncommitted changes (" + String.join(", ", shown) + more
                + ") that switching to '" + start + "' would lose; commit them with 'mlv train-commit' or start from HEAD"
                + " (omit --from). Nothing was changed");
    }
}
