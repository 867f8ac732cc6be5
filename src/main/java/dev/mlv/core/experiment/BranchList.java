package dev.mlv.core.experiment;

import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.internal.Branches;
import dev.mlv.core.internal.MetricsLoader;
import dev.mlv.metrics.Metrics;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * The branches of the repository with their tips and the metrics of each tip
 * ({@code metrics/*.json}, flattened). Used by {@code mlv serve}'s {@code /v1/refs}.
 */
public final class BranchList {
    private final MlvRepository repo;

    public BranchList(MlvRepository repo) {
        this.repo = repo;
    }

    /** One branch: short name, tip commit, metrics (name to value), or why they could not be read. */
    public record Branch(String name, String commit, Map<String, MetricCell> metrics, String metricsError) {
    }

    /** All branches in name order. */
    public List<Branch> call() throws MlvException {
        try (RevWalk walk = new RevWalk(repo.git())) {
            List<Branch> branches = new ArrayList<>();
            for (Ref ref : repo.git().getRefDatabase().getRefsByPrefix(Constants.R_HEADS)) {
                branches.add(describe(walk, ref));
            }
            return branches;
        } catch (IOException e) {
            throw new MlvException("cannot list branches: " + e.getMessage(), e);
        }
    }

    /** One branch; NOT_FOUND when it does not exist. */
    public Branch call(String branch) throws MlvException {
        Branches.checkName(branch);
        try (RevWalk walk = new RevWalk(repo.git())) {
            Ref ref = repo.git().exactRef(Branches.refName(branch));
            if (ref == null) {
                throw MlvException.notFound("branch '" + branch + "' not found");
            }
            return describe(walk, ref);
        } catch (IOException e) {
            throw new MlvException("cannot read branch '" + branch + "': " + e.getMessage(), e);
        }
    }

    private Branch describe(RevWalk walk, Ref ref) throws IOException {
        String name = ref.getName().substring(Constants.R_HEADS.length());
        RevCommit tip = walk.parseCommit(ref.getObjectId());
        try {
            Metrics m = MetricsLoader.fromTree(walk.getObjectReader(), tip.getTree());
            return new Branch(name, tip.name(), MetricCell.map(m.values()), null);
        } catch (MlvException e) {
            // one branch's broken metrics file must not hide the other branches
            return new Branch(name, tip.name(), Map.of(), e.getMessage());
        }
    }
}
