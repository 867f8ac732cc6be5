package dev.mlv.core.internal;

import dev.mlv.core.ErrorKind;
import dev.mlv.core.MlvException;
import java.io.IOException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;

/** Branch names and moves that several operations share. */
public final class Branches {
    private Branches() {
    }

    public static String refName(String branch) {
        return branch.startsWith(Constants.R_HEADS) ? branch : Constants.R_HEADS + branch;
    }

    public static void checkName(String branch) throws MlvException {
        if (!Repository.isValidRefName(refName(branch)) || branch.startsWith("-")) {
            throw MlvException.usage("'" + branch + "' is not a valid branch name");
        }
    }

    /**
     * Makes {@code branch} the current branch without touching the work tree: creates it at HEAD
     * when missing, or switches to it when it already points at HEAD's commit.
     */
    public static void createOrSwitchForCommit(Repository git, String branch) throws MlvException, IOException {
        checkName(branch);
        String ref = refName(branch);
        if (ref.equals(git.getFullBranch())) {
            return;
        }
        ObjectId head = git.resolve(Constants.HEAD);
        Ref existing = git.exactRef(ref);
        if (existing != null && !existing.getObjectId().equals(head)) {
            throw new MlvException(ErrorKind.USAGE, "branch '" + branch + "' already exists at another commit; switch to it first with 'mlv switch "
                    + branch + "', then run train-commit");
        }
        if (existing == null && head != null) {
            RefUpdate create = git.updateRef(ref);
            create.setNewObjectId(head);
            create.setExpectedOldObjectId(ObjectId.zeroId());
            create.setRefLogMessage("branch: Created from HEAD (mlv train-commit)", false);
            check(git, create.update(), branch);
        }
        RefUpdate link = git.updateRef(Constants.HEAD);
        link.disableRefLog();
        check(git, link.link(ref), branch);
    }

    private static void check(Repository git, RefUpdate.Result result, String branch) throws MlvException {
        switch (result) {
            case NEW, FORCED, FAST_FORWARD, NO_CHANGE -> { }
            case LOCK_FAILURE -> {
                String stale = RefMoves.staleLockHint(git, refName(branch));
                throw new MlvException(ErrorKind.CONFLICT, "branch '" + branch + "' is being changed by another process"
                        + (stale.isEmpty() ? "; try again" : stale));
            }
            default -> throw new MlvException("cannot update branch '" + branch + "': " + result);
        }
    }
}
