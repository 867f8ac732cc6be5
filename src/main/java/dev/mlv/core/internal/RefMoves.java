package dev.mlv.core.internal;

import dev.mlv.core.ErrorKind;
import dev.mlv.core.MlvException;
import java.io.IOException;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;

/** Moving a branch only if it still points where we read it: compare-and-swap. */
public final class RefMoves {
    private RefMoves() {
    }

    /**
     * Moves {@code ref} from {@code expected} (null: must not exist) to {@code next}. Another
     * writer's move in between fails with CONFLICT and leaves both commits intact.
     */
    public static void compareAndSwap(Repository git, String ref, AnyObjectId expected, AnyObjectId next, String reflog)
            throws IOException, MlvException {
        RefUpdate update = git.updateRef(ref);
        update.setExpectedOldObjectId(expected == null ? ObjectId.zeroId() : expected);
        update.setNewObjectId(next);
        update.setForceUpdate(true); // non-fast-forward is allowed; the expected-old check is the guard
        update.setRefLogMessage(reflog, false);
        RefUpdate.Result result = update.update();
        switch (result) {
            case NEW, FORCED, FAST_FORWARD, NO_CHANGE -> { }
            case LOCK_FAILURE, REJECTED -> throw new MlvException(ErrorKind.CONFLICT, ref.replaceFirst("^refs/heads/", "")
                    + " changed while this command ran (another promotion or commit); nothing was changed; run it again");
            default -> throw new MlvException("cannot move " + ref + ": " + result);
        }
    }
}
