package dev.mlv.core.internal;

import dev.mlv.core.MlvException;
import java.io.IOException;
import org.eclipse.jgit.errors.AmbiguousObjectException;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.RevisionSyntaxException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/** Resolves what users type ({@code main}, {@code HEAD~2}, a commit id, a tag) to a commit. */
public final class Revisions {
    private Revisions() {
    }

    /**
     * The commit {@code ref} names.
     *
     * @throws MlvException NOT_FOUND when nothing by that name exists or it is not a commit;
     *     USAGE when the expression does not parse or is ambiguous
     */
    public static RevCommit commit(Repository git, RevWalk walk, String ref) throws MlvException, IOException {
        ObjectId id;
        try {
            id = git.resolve(ref);
        } catch (AmbiguousObjectException e) {
            throw MlvException.usage("'" + ref + "' is an ambiguous abbreviation of several objects; give more digits");
        } catch (RevisionSyntaxException e) {
            throw MlvException.usage("'" + ref + "' is not a valid revision; name a branch, tag or commit id");
        }
        if (id == null) {
            if (Constants.HEAD.equals(ref)) {
                throw MlvException.notFound("HEAD has no commit yet; make one with 'mlv train-commit'");
            }
            throw MlvException.notFound("ref '" + ref + "' not found; list branches with 'mlv exp list'");
        }
        try {
            return walk.parseCommit(id);
        } catch (IncorrectObjectTypeException e) {
            throw MlvException.notFound("'" + ref + "' names a " + typeName(walk, id) + ", not a commit; name a branch, tag or commit");
        } catch (MissingObjectException e) {
            throw MlvException.notFound("'" + ref + "' points at " + id.name() + ", which is not in this repository");
        }
    }

    private static String typeName(RevWalk walk, ObjectId id) {
        try {
            return Constants.typeString(walk.getObjectReader().open(id).getType());
        } catch (IOException e) {
            return "object";
        }
    }

    /** The first 7 hex digits of an id, as listings show it. */
    public static String abbreviate(ObjectId id) {
        return id.name().substring(0, 7);
    }
}
