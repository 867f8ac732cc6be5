package dev.mlv.core;

import java.io.IOException;
import org.eclipse.jgit.errors.AmbiguousObjectException;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.RevisionSyntaxException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/** Resolving what users type as a revision (branch, tag, commit id, {@code HEAD~1}). */
final class Refs {
    private Refs() {
    }

    /** The commit a revision names; NOT_FOUND when it names nothing, USAGE when it is malformed. */
    static RevCommit commit(Repository git, RevWalk walk, String rev) throws MlvException, IOException {
        ObjectId id;
        try {
            id = git.resolve(rev);
        } catch (AmbiguousObjectException e) {
            throw MlvException.usage("'" + rev + "' is ambiguous; give more digits of the commit id");
        } catch (RevisionSyntaxException e) {
            throw MlvException.usage("'" + rev + "' is not a valid revision");
        } catch (IncorrectObjectTypeException e) {
            throw MlvException.notFound("'" + rev + "' does not name a commit");
        }
        if (id == null) {
            throw MlvException.notFound("no branch, tag or commit named '" + rev + "'; list branches with 'git branch'");
        }
        try {
            return walk.parseCommit(id);
        } catch (IncorrectObjectTypeException e) {
            throw MlvException.notFound("'" + rev + "' does not name a commit");
        } catch (MissingObjectException e) {
            throw MlvException.notFound("commit " + id.name() + " ('" + rev + "') is not in this repository");
        }
    }
}
