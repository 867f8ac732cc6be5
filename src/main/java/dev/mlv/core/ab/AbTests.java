package dev.mlv.core.ab;

import dev.mlv.core.Json;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.internal.Identity;
import dev.mlv.core.internal.RefMoves;
import java.io.IOException;
import java.time.Instant;
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
 * one file, {@code ab.json}. Updates move the ref by compare-and-swap.
 */
final class AbTests {
    static final String PREFIX = "refs/mlv/ab/";
    static final String FILE = "ab.json";

    private AbTests() {
    }

    /** A stored test and the commit it was read from. */
    record Stored(AbTest test, ObjectId commit) {
    }

    static String refName(String name) throws MlvException {
        if (name == null || name.isBlank() || name.contains("/") || name.startsWith("-")
                || !Repository.isValidRefName(PREFIX + name)) {
            throw MlvException.usage("'" + name + "' is not a valid A/B test name; use letters, digits, '-', '_' and '.'");
        }
        return PREFIX + name;
    }

    /** The test called {@code name}; NOT_FOUND when there is none. */
    static Stored read(MlvRepository repo, String name) throws MlvException {
        Repository git = repo.git();
        try (RevWalk walk = new RevWalk(git)) {
            Ref ref = git.exactRef(refName(name));
            if (ref == null) {
                throw MlvException.notFound("no A/B test named '" + name + "'; create it with 'mlv ab create " + name
                        + " --arm A=BRANCH --arm B=BRANCH'");
            }
            RevCommit commit = walk.parseCommit(ref.getObjectId());
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

    /** Writes {@code test} as a new commit on its ref, which must still be at {@code expected} (null: absent). */
    static String write(MlvRepository repo, AbTest test, ObjectId expected, String subject) throws MlvException {
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

    static Instant now(MlvRepository repo) {
        return repo.session().clock().instant();
    }
}
