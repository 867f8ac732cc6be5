package dev.mlv.core.ab;

import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.ab.internal.AbTests;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/** {@code mlv ab show NAME}: one A/B test as recorded, and its history (the commits of its ref, newest first). */
public final class AbShow {
    private final MlvRepository repo;

    public AbShow(MlvRepository repo) {
        this.repo = repo;
    }

    /** One change of the test: a commit of {@code refs/mlv/ab/NAME}. */
    public record Change(String commit, String time, String author, String subject) {
    }

    public record Result(AbTest test, String ref, String commit, List<Change> history) {
        public Result {
            history = List.copyOf(history);
        }
    }

    public Result call(String name) throws MlvException {
        AbTests.Stored stored = AbTests.read(repo, name);
        List<Change> history = new ArrayList<>();
        try (RevWalk walk = new RevWalk(repo.git())) {
            walk.setFirstParent(true);
            walk.markStart(walk.parseCommit(stored.commit()));
            for (RevCommit c : walk) {
                history.add(new Change(c.name(), c.getCommitterIdent().getWhenAsInstant().toString(),
                        c.getAuthorIdent().getName() + " <" + c.getAuthorIdent().getEmailAddress() + ">", c.getShortMessage()));
            }
        } catch (IOException e) {
            throw new MlvException("cannot read the history of A/B test '" + name + "': " + e.getMessage(), e);
        }
        return new Result(stored.test(), AbTests.PREFIX + name, stored.commit().name(), history);
    }
}
