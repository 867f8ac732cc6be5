package dev.mlv.core.promotion;

import dev.mlv.core.MlvConfig;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.internal.MetricsLoader;
import dev.mlv.core.internal.Revisions;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mlv.metrics.Directions;
import dev.mlv.metrics.Gates;
import dev.mlv.metrics.Metrics;
import java.io.IOException;
import java.util.List;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * {@code mlv check REF}: metric gates alone, for CI. {@code --require} gates read REF's metrics;
 * {@code --no-regress} gates compare them with {@code --against REF}; {@code --for BRANCH} adds
 * that branch's configured promotion gates (and compares against it unless --against is given).
 */
public final class Check {
    private final MlvRepository repo;
    private List<String> require = List.of();
    private List<String> noRegress = List.of();
    private String against;
    private String forBranch;
    private boolean optional;

    public Check(MlvRepository repo) {
        this.repo = repo;
    }

    public Check setRequire(List<String> exprs) {
        this.require = List.copyOf(exprs);
        return this;
    }

    public Check setNoRegress(List<String> specs) {
        this.noRegress = List.copyOf(specs);
        return this;
    }

    public Check setAgainst(String ref) {
        this.against = ref;
        return this;
    }

    public Check setFor(String branch) {
        this.forBranch = branch;
        return this;
    }

    /**
     * With no gates from flags or configuration, return a result without gates instead of failing
     * (a report shows gates only where the repository defines them).
     */
    public Check setOptional(boolean optional) {
        this.optional = optional;
        return this;
    }

    public record Result(String ref, String commit, String against, String againstCommit, List<GateRow> gates) {
        @JsonProperty("passed")
        public boolean passed() {
            return Gating.passed(gates);
        }
    }

    public Result call(String ref) throws MlvException {
        String compareTo = against != null ? against : forBranch;
        if (!noRegress.isEmpty() && compareTo == null) {
            throw MlvException.usage("--no-regress needs --against REF (or --for BRANCH) to compare with");
        }
        try (RevWalk walk = new RevWalk(repo.git())) {
            RevCommit commit = Revisions.commit(repo.git(), walk, ref);
            RevCommit other = compareTo == null ? null : Revisions.commit(repo.git(), walk, compareTo);
            MlvConfig config = ConfigAt.commit(repo, walk, forBranch != null ? other : commit);
            Gates gates = Gating.parse(require, noRegress, config, forBranch);
            if (gates.isEmpty() && optional) {
                return new Result(ref, commit.name(), compareTo, other == null ? null : other.name(), List.of());
            }
            if (gates.isEmpty()) {
                throw MlvException.usage("no gates to check; give --require EXPR, --no-regress METRIC --against REF,"
                        + " or --for BRANCH with gates configured in .mlv/config.json");
            }
            Directions directions = Gating.directions(config);
            Metrics mine = MetricsLoader.fromTree(walk.getObjectReader(), commit.getTree());
            Metrics theirs = other == null ? Metrics.empty() : MetricsLoader.fromTree(walk.getObjectReader(), other.getTree());
            return new Result(ref, commit.name(), compareTo, other == null ? null : other.name(),
                    Gating.evaluate(gates, mine, theirs, directions));
        } catch (IOException e) {
            throw new MlvException("cannot check " + ref + ": " + e.getMessage(), e);
        }
    }
}
