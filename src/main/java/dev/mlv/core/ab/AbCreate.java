package dev.mlv.core.ab;

import dev.mlv.core.ErrorKind;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.ab.internal.AbTests;
import dev.mlv.core.internal.Branches;
import dev.mlv.core.workspace.Cat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * {@code mlv ab create NAME --arm A=BRANCH ...}: records an A/B test in Git with each arm pinned
 * to its branch's current commit, the traffic weights and the metric to compare.
 */
public final class AbCreate {
    /** Where {@code mlv record} usually appends predictions. */
    public static final String DEFAULT_MONITORING_FILE = "monitoring/predictions.csv";

    private final MlvRepository repo;
    private final Map<String, String> arms = new LinkedHashMap<>();
    private List<Double> weights = List.of();
    private String metric;
    private String monitoringFile = DEFAULT_MONITORING_FILE;

    public AbCreate(MlvRepository repo) {
        this.repo = repo;
    }

    /** Adds an arm; arms keep this order and the first is the control. */
    public AbCreate addArm(String name, String branch) throws MlvException {
        if (name.isBlank() || !name.matches("[A-Za-z0-9._-]+")) {
            throw MlvException.usage("'" + name + "' is not a valid arm name; use letters, digits, '.', '_' and '-'");
        }
        if (arms.putIfAbsent(name, branch) != null) {
            throw MlvException.usage("arm '" + name + "' is given twice");
        }
        return this;
    }

    /** Relative weights, one per arm (default: equal). */
    public AbCreate setWeights(List<Double> weights) {
        this.weights = List.copyOf(weights);
        return this;
    }

    public AbCreate setMetric(String column) {
        this.metric = column;
        return this;
    }

    public AbCreate setMonitoringFile(String path) throws MlvException {
        this.monitoringFile = Cat.split(":" + path)[1];
        return this;
    }

    public AbTest call(String name) throws MlvException {
        AbTests.refName(name);
        if (arms.size() < 2) {
            throw MlvException.usage("an A/B test needs at least two arms: --arm A=BRANCH --arm B=BRANCH");
        }
        List<Double> w = weights.isEmpty() ? arms.keySet().stream().map(k -> 1.0).toList() : weights;
        if (w.size() != arms.size()) {
            throw MlvException.usage(w.size() + " weights for " + arms.size() + " arms; give one weight per arm, e.g. --weights 90,10");
        }
        double total = 0;
        for (double x : w) {
            if (!(x >= 0) || Double.isInfinite(x)) {
                throw MlvException.usage("weights must be non-negative numbers");
            }
            total += x;
        }
        if (total <= 0) {
            throw MlvException.usage("at least one weight must be above zero");
        }
        List<AbTest.Arm> pinned = new ArrayList<>();
        try (RevWalk walk = new RevWalk(repo.git())) {
            int i = 0;
            for (Map.Entry<String, String> arm : arms.entrySet()) {
                Branches.checkName(arm.getValue());
                Ref ref = repo.git().exactRef(Branches.refName(arm.getValue()));
                if (ref == null) {
                    throw MlvException.notFound("branch '" + arm.getValue() + "' (arm " + arm.getKey() + ") not found");
                }
                RevCommit tip = walk.parseCommit(ref.getObjectId());
                pinned.add(new AbTest.Arm(arm.getKey(), arm.getValue(), tip.name(), w.get(i++) / total));
            }
            if (repo.git().exactRef(AbTests.refName(name)) != null) {
                throw new MlvException(ErrorKind.CONFLICT, "an A/B test named '" + name + "' already exists; see 'mlv ab report "
                        + name + "' or choose another name");
            }
        } catch (IOException e) {
            throw new MlvException("cannot create A/B test '" + name + "': " + e.getMessage(), e);
        }
        AbTest test = new AbTest(name, AbTest.RUNNING, pinned, metric, monitoringFile, AbTests.now(repo).toString(),
                null, null, null, null, null);
        AbTests.write(repo, test, null, "A/B test " + name + ": create");
        return test;
    }
}
