package dev.mlv.core.promotion;

import dev.mlv.core.MlvConfig;
import dev.mlv.core.MlvException;
import dev.mlv.core.experiment.MetricCell;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mlv.metrics.Directions;
import dev.mlv.metrics.GateReport;
import dev.mlv.metrics.GateResult;
import dev.mlv.metrics.Gates;
import dev.mlv.metrics.KeySuggestion;
import dev.mlv.metrics.Metrics;
import dev.mlv.metrics.MetricsException;
import java.util.ArrayList;
import java.util.List;

/**
 * Metric gates as promotion and {@code mlv check} use them: from flags, plus the destination's
 * configured gates ({@code .mlv/config.json} → {@code gates.<branch>.require} and
 * {@code gates.<branch>.noRegress}), evaluated with the configured metric directions.
 */
final class Gating {
    private Gating() {
    }

    static Gates parse(List<String> require, List<String> noRegress, MlvConfig config, String destination)
            throws MlvException {
        List<String> req = new ArrayList<>(require);
        List<String> noReg = new ArrayList<>(noRegress);
        if (destination != null) {
            JsonNode gates = config.section("gates").path(destination);
            gates.path("require").forEach(n -> req.add(n.asText()));
            gates.path("noRegress").forEach(n -> noReg.add(n.asText()));
        }
        try {
            return Gates.parse(req, noReg);
        } catch (MetricsException e) {
            throw MlvException.usage(e.getMessage());
        }
    }

    static Directions directions(MlvConfig config) throws MlvException {
        try {
            return Directions.of(config.metricDirections());
        } catch (MetricsException e) {
            throw new MlvException(".mlv/config.json metrics.directions: " + e.getMessage(), e);
        }
    }

    /**
     * Evaluates the gates. A gate on a metric that neither side has is a usage error (exit 2), with
     * the closest existing key: a typo must not read as a regression in CI.
     */
    static List<GateRow> evaluate(Gates gates, Metrics src, Metrics dst, Directions directions) throws MlvException {
        GateReport report = gates.evaluate(src, dst, directions);
        List<GateRow> rows = new ArrayList<>();
        for (GateResult r : report.results()) {
            if (!src.contains(r.metric()) && !dst.contains(r.metric())) {
                java.util.SortedSet<String> known = new java.util.TreeSet<>(src.keys());
                known.addAll(dst.keys());
                String guess = KeySuggestion.closest(r.metric(), known);
                throw MlvException.usage("the gate '" + r.rule() + "' names the metric '" + r.metric() + "', which neither"
                        + " side has" + (guess == null ? " (they have no metrics)" : "; did you mean '" + guess + "'?")
                        + "; nothing was changed");
            }
            rows.add(new GateRow(r.metric(), r.rule(),
                    MetricCell.of(r.srcValue()), MetricCell.of(r.dstValue()),
                    r.direction() == null ? null : r.direction().direction().word(),
                    r.passed(), r.reason()));
        }
        return List.copyOf(rows);
    }

    static boolean passed(List<GateRow> rows) {
        return rows.stream().allMatch(GateRow::passed);
    }
}
