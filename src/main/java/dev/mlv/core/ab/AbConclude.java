package dev.mlv.core.ab;

import dev.mlv.core.ErrorKind;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.ab.internal.AbTests;
import dev.mlv.core.internal.Branches;
import dev.mlv.core.promotion.Promote;
import java.io.IOException;
import java.util.List;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * {@code mlv ab conclude NAME --winner ARM [--into prod]}: promotes the winning arm's branch
 * through the normal gated promotion ({@link Promote}) and marks the test concluded. A failed gate
 * or a conflict leaves the test running and the target unchanged. The winner's models must still
 * be those the test pinned: a model changed mid-test was not what the test measured.
 */
public final class AbConclude {
    private final MlvRepository repo;
    private String winner;
    private String into = "prod";
    private List<String> require = List.of();
    private List<String> noRegress = List.of();

    public AbConclude(MlvRepository repo) {
        this.repo = repo;
    }

    public AbConclude setWinner(String arm) {
        this.winner = arm;
        return this;
    }

    /** The branch to promote the winner into (default prod). */
    public AbConclude setInto(String branch) {
        this.into = branch;
        return this;
    }

    public AbConclude setRequire(List<String> exprs) {
        this.require = List.copyOf(exprs);
        return this;
    }

    public AbConclude setNoRegress(List<String> specs) {
        this.noRegress = List.copyOf(specs);
        return this;
    }

    /** The promotion, and the test as it now stands (still running when a gate failed). */
    public record Result(AbTest test, Promote.Result promotion, boolean concluded) {
    }

    public Result call(String name) throws MlvException {
        AbTests.Stored stored = AbTests.read(repo, name);
        AbTest test = stored.test();
        if (AbTest.CONCLUDED.equals(test.status())) {
            throw MlvException.usage("A/B test '" + name + "' was already concluded: " + test.winner() + " won, promoted into "
                    + test.promotedInto());
        }
        AbTest.Arm arm = winner == null ? null : test.arm(winner);
        if (arm == null) {
            throw MlvException.usage("'" + winner + "' is not an arm of A/B test '" + name + "'; its arms are "
                    + String.join(", ", test.arms().stream().map(AbTest.Arm::name).toList()));
        }
        checkModelUnchanged(arm);
        Promote.Result promotion = new Promote(repo).setRequire(require).setNoRegress(noRegress)
                .setMessage("Promote " + arm.branch() + " into " + into + ": winner of A/B test " + name)
                .call(arm.branch(), into);
        if (!promotion.gatesPassed()) {
            return new Result(test, promotion, false);
        }
        AbTest done = new AbTest(test.name(), AbTest.CONCLUDED, test.arms(), test.metric(), test.monitoringFile(),
                test.createdAt(), arm.name(), AbTests.now(repo).toString(), into, promotion.commit(), promotion.tag());
        AbTests.write(repo, done, stored.commit(), "A/B test " + name + ": concluded, " + arm.name() + " (" + arm.branch()
                + ") won, promoted into " + into);
        return new Result(done, promotion, true);
    }

    private void checkModelUnchanged(AbTest.Arm arm) throws MlvException {
        try (RevWalk walk = new RevWalk(repo.git())) {
            Ref ref = repo.git().exactRef(Branches.refName(arm.branch()));
            if (ref == null) {
                throw MlvException.notFound("branch '" + arm.branch() + "' of arm " + arm.name() + " no longer exists");
            }
            ObjectId now = AbReport.models(walk.getObjectReader(), walk.parseCommit(ref.getObjectId()));
            ObjectId then = AbReport.models(walk.getObjectReader(), walk.parseCommit(ObjectId.fromString(arm.commit())));
            if (!java.util.Objects.equals(now, then)) {
                throw new MlvException(ErrorKind.CONFLICT, "the models on " + arm.branch() + " changed since the test pinned "
                        + arm.commit().substring(0, 12) + ", so the test did not measure them; start a new test, or promote"
                        + " with 'mlv promote " + arm.branch() + " " + into + "'; nothing was changed");
            }
        } catch (IOException e) {
            throw new MlvException("cannot read arm " + arm.name() + ": " + e.getMessage(), e);
        }
    }
}
