package dev.mlv.report;

import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.experiment.ExperimentCurves;
import dev.mlv.core.experiment.MetricsCompare;
import dev.mlv.core.promotion.Check;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a report shows, read through core's public operations: the metrics comparison exactly as
 * {@code mlv metrics diff A B} computes it, the parameters as {@code mlv params diff A B}, the
 * gates as {@code mlv check B --against A --for BRANCH} (none when neither flags nor the
 * configuration define any), and each side's training curves with points for charts.
 *
 * @param gatesFor the branch whose configured gates were read (null for flags only)
 * @param gates null when no gates were defined
 */
public record ReportData(String oldRef, String newRef, MetricsCompare.Result metrics, MetricsCompare.Result params,
                         String gatesFor, Check.Result gates, ExperimentCurves.Result oldCurves,
                         ExperimentCurves.Result newCurves) {
    /** Points per curve column in a chart: more than a chart's width in pixels shows. */
    public static final int CHART_POINTS = 1000;

    /** What to compare and which gates to evaluate. */
    public record Request(String oldRef, String newRef, String gatesFor, List<String> require, List<String> noRegress) {
        public Request {
            Objects.requireNonNull(oldRef, "oldRef");
            Objects.requireNonNull(newRef, "newRef");
            require = List.copyOf(require);
            noRegress = List.copyOf(noRegress);
        }
    }

    /**
     * Reads both sides.
     *
     * @throws MlvException a ref does not exist, metrics or parameters are malformed (as in
     *     {@code metrics diff}), or a gate does not parse or names a metric neither side has (as in {@code check})
     */
    public static ReportData collect(MlvRepository repo, Request request) throws MlvException {
        MetricsCompare.Result metrics = new MetricsCompare(repo).setOld(request.oldRef()).setNew(request.newRef()).call();
        MetricsCompare.Result params = new MetricsCompare(repo).setOld(request.oldRef()).setNew(request.newRef())
                .setParams(true).call();
        Check.Result gates = new Check(repo).setOptional(true).setAgainst(request.oldRef()).setFor(request.gatesFor())
                .setRequire(request.require()).setNoRegress(request.noRegress()).call(request.newRef());
        ExperimentCurves.Result oldCurves = new ExperimentCurves(repo).setRef(request.oldRef()).setMaxPoints(CHART_POINTS).call();
        ExperimentCurves.Result newCurves = new ExperimentCurves(repo).setRef(request.newRef()).setMaxPoints(CHART_POINTS).call();
        return new ReportData(request.oldRef(), request.newRef(), metrics, params, request.gatesFor(),
                gates.gates().isEmpty() ? null : gates, oldCurves, newCurves);
    }

    /** The curve files' warnings of both sides, each once. */
    public List<String> curveWarnings() {
        List<String> all = new ArrayList<>();
        for (ExperimentCurves.Result side : List.of(oldCurves, newCurves)) {
            for (String w : side.warnings()) {
                String labelled = side.ref() + ": " + w;
                if (!all.contains(labelled)) {
                    all.add(labelled);
                }
            }
        }
        return all;
    }

    /** True when gates were evaluated and all passed, or there were none. */
    public boolean gatesPassed() {
        return gates == null || gates.passed();
    }
}
