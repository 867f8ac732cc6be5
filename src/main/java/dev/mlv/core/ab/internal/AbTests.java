package dev.mlv.core.ab.internal;

import dev.mlv.core.Json;
import dev.mlv.core.ab.AbTest;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.internal.Identity;
import dev.mlv.core.internal.RefMoves;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Where A/B tests live: {@code refs/mlv/ab/NAME}, a ref outside {@code refs/heads} (no branch
 * clutter, not checked out, pushed with {@code git push origin 'refs/mlv/*'}), whose commit holds
 * one file, {@code ab.json}. Updates move the ref by compare-and-swap. Lent to {@code push}
 * (which sends a test once the remote will have the commits its arms are pinned to) and
 * {@code exp rm} (which keeps the branches of running tests).
 */
public final class AbTests {
    public static final String PREFIX = "refs/mlv/ab/";
    public static final String FILE = "ab.json";

    private AbTests() {
    }

    /** A stored test and the commit it was read from. */
    public record Stored(AbTest test, ObjectId commit) {
    }

    public static String refName(String name) throws MlvException {
        if (name == null || name.isBlank() || name.contains("/") || name.startsWith("-")
                || !Repository.isValidRefName(PREFIX + name)) {
            throw MlvException.usage("'" + name + "' is not a valid A/B test name; use letters, digits, '-', '_' and '.'");
        }
        return PREFIX + name;
    }

    /** The test called {@code name}; NOT_FOUND when there is none. */
    public static Stored read(MlvRepository repo, String name) throws MlvException {
        Repository git = repo.git();
        Ref ref;
        try {
            ref = git.exactRef(refName(name));
        } catch (IOException e) {
            throw new MlvException("cannot read A/B test '" + name + "': " + e.getMessage(), e);
        }
        if (ref == null) {
            throw MlvException.notFound("no A/B test named '" + name + "'; create it with 'mlv ab create " + name
                    + " --arm A=BRANCH --arm B=BRANCH'" + (hasRemotes(git) ? ", or fetch it with 'mlv fetch'" : ""));
        }
        return readAt(git, name, ref.getObjectId());
    }

    /** The test as recorded in {@code commit} (a commit of {@code refs/mlv/ab/NAME}). */
    public static Stored readAt(Repository git, String name, ObjectId commitId) throws MlvException {
        try (RevWalk walk = new RevWalk(git)) {
            RevCommit commit = walk.parseCommit(commitId);
            try (TreeWalk tw = TreeWalk.forPath(git, FILE, commit.getTree())) {
                if (tw == null) {
                    throw new MlvException(PREFIX + name + " (" + commit.name() + ") has no " + FILE + "; it was not written by mlv");
                }
                return new Stored(Json.read(git.open(tw.getObjectId(0)).getBytes(), AbTest.class), commit);
            }
        } catch (IOException e) {
            throw new MlvException("cannot read A/B test '" + name + "': " + e.getMessage(), e);
        }
    }

    /** Every test's ref, by name. */
    public static List<Ref> refs(Repository git) throws MlvException {
        try {
            return git.getRefDatabase().getRefsByPrefix(PREFIX).stream()
                    .sorted(java.util.Comparator.comparing(Ref::getName)).toList();
        } catch (IOException e) {
            throw new MlvException("cannot list A/B tests: " + e.getMessage(), e);
        }
    }

    /** Every test, by name. */
    public static List<Stored> all(Repository git) throws MlvException {
        List<Stored> tests = new ArrayList<>();
        for (Ref ref : refs(git)) {
            tests.add(readAt(git, ref.getName().substring(PREFIX.length()), ref.getObjectId()));
        }
        return tests;
    }

    private static boolean hasRemotes(Repository git) {
        return !git.getConfig().getSubsections("remote").isEmpty();
    }

    /** Writes {@code test} as a new commit on its ref, which must still be at {@code expected} (null: absent). */
    public static String write(MlvRepository repo, AbTest test, ObjectId expected, String subject) throws MlvException {
        Repository git = repo.git();
        String ref = refName(test.name());
        try (ObjectInserter inserter = git.newObjectInserter()) {
            ObjectId blob = inserter.insert(Constants.OBJ_BLOB, Json.writeBytes(test));
            DirCache dc = DirCache.newInCore();
            DirCacheBuilder b = dc.builder();
            DirCacheEntry e = new DirCacheEntry(FILE);
            e.setFileMode(FileMode.REGULAR_FILE);
            e.setObjectId(blob);
            b.add(e);
            b.finish();
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(dc.writeTree(inserter));
            if (expected != null) {
                commit.setParentId(expected);
            }
            PersonIdent who = Identity.committer(repo.session(), git).at(repo.session(), now(repo));
            commit.setAuthor(who);
            commit.setCommitter(who);
            commit.setMessage(subject + "\n");
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            RefMoves.compareAndSwap(git, ref, expected, id, "ab: " + subject);
            return id.name();
        } catch (IOException e) {
            throw new MlvException("cannot write A/B test '" + test.name() + "': " + e.getMessage(), e);
        }
    }

    public static Instant now(MlvRepository repo) {
        return repo.session().clock().instant();
    }
}
