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

    /** How long a ref's lock file must stay, the same file, to be named as perhaps left by a killed process. */
    static final long STALE_AFTER_MILLIS = 1000;

    /** A file's identity (inode and modification time), or null when it is not there. */
    private static Object identity(java.nio.file.Path file) {
        try {
            var a = java.nio.file.Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS);
            return a.isRegularFile() ? java.util.List.of(String.valueOf(a.fileKey()), a.lastModifiedTime()) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * For a ref update that failed to lock: the lock files of {@code ref} (HEAD's branch for
     * HEAD), HEAD and packed-refs that exist now, named with what to do, as git does ("another
     * process holds it, or one was killed while holding it: if none is running, delete it"); empty
     * when there are none, or when they go or change within {@link #STALE_AFTER_MILLIS} (a live
     * writer's).
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
        java.util.List<String> found = staleLocks(dir, names).stream().map(java.nio.file.Path::toString).toList();
        return found.isEmpty() ? "" : ": " + lockFilesLeft(found);
    }

    /**
     * The lock files {@code NAME.lock} of {@code names} in {@code gitDir} that stay, the same file,
     * for {@link #STALE_AFTER_MILLIS}: a live writer holds a ref lock for milliseconds (git retries
     * one for 100 ms before it gives up), so what stays longer was most likely left by a killed one.
     */
    public static java.util.List<java.nio.file.Path> staleLocks(java.nio.file.Path gitDir, java.util.Collection<String> names) {
        java.util.Map<java.nio.file.Path, Object> held = new java.util.LinkedHashMap<>();
        for (String name : names) {
            java.nio.file.Path lock = gitDir.resolve(name + ".lock");
            Object id = identity(lock);
            if (id != null) {
                held.put(lock, id);
            }
        }
        long end = System.nanoTime() + STALE_AFTER_MILLIS * 1_000_000L;
        while (!held.isEmpty() && System.nanoTime() < end) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return java.util.List.of();
            }
            held.entrySet().removeIf(e -> !e.getValue().equals(identity(e.getKey())));
        }
        return java.util.List.copyOf(held.keySet());
    }

    /** What to say about lock files that are in the way, as git says it. */
    public static String lockFilesLeft(java.util.List<String> paths) {
        return String.join(" and ", paths) + (paths.size() == 1 ? " exists" : " exist") + " (another git or mlv"
                + " process is using " + (paths.size() == 1 ? "it" : "them") + ", or one was killed while it did); if none"
                + " is running, delete " + (paths.size() == 1 ? "it" : "them") + " and run the command again";
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
