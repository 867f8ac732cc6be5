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
     * For a ref update that failed to lock: the lock files of {@code ref} (HEAD's branch for
     * HEAD), HEAD and packed-refs that exist now, named with what to do, as git does ("another
     * process holds it, or one was killed while holding it: if none is running, delete it"); empty
     * when there are none (the lock was a live writer's and is gone).
     */
    public static String staleLockHint(Repository git, String ref) {
        java.nio.file.Path dir = git.getDirectory().toPath();
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        try {
            org.eclipse.jgit.lib.Ref head = git.exactRef(org.eclipse.jgit.lib.Constants.HEAD);
            if (ref.equals(org.eclipse.jgit.lib.Constants.HEAD) && head != null && head.isSymbolic()) {
                names.add(head.getTarget().getName());
            }
        } catch (IOException e) {
            // HEAD unreadable: the named ref and the fixed ones are still worth a look
        }
        names.add(ref);
        names.add(org.eclipse.jgit.lib.Constants.HEAD);
        names.add("packed-refs");
        java.util.List<String> found = new java.util.ArrayList<>();
        for (String name : names) {
            java.nio.file.Path lock = dir.resolve(name + ".lock");
            if (java.nio.file.Files.isRegularFile(lock)) {
                found.add(lock.toString());
            }
        }
        if (found.isEmpty()) {
            return "";
        }
        return ": " + String.join(" and ", found) + (found.size() == 1 ? " exists" : " exist") + " (another git or mlv"
                + " process is moving it, or one was killed while it did); if none is running, delete "
                + (found.size() == 1 ? "it" : "them") + " and run the command again";
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
            case LOCK_FAILURE, REJECTED -> {
                String stale = staleLockHint(git, ref);
                throw new MlvException(ErrorKind.CONFLICT, ref.replaceFirst("^refs/heads/", "")
                        + (stale.isEmpty() ? " changed while this command ran (another promotion or commit); nothing was"
                        + " changed; run it again" : " is locked; nothing was changed" + stale));
            }
            default -> throw new MlvException("cannot move " + ref + ": " + result);
        }
    }
}
