package dev.mlv.report;

import dev.mlv.core.experiment.CurveFile;
import dev.mlv.core.experiment.MetricsCompare;
import dev.mlv.core.promotion.GateRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report's content as plain-text cells, shared by the HTML and Markdown renderers so both show
 * the same numbers, and the numbers {@code mlv metrics diff} shows (its display strings).
 */
final class ReportRows {
    private ReportRows() {
    }

    static String label(MetricsCompare.Side side) {
        return side.ref() + " (" + side.shortCommit() + ")";
    }

    static String title(ReportData d) {
        return "mlv report: " + label(d.metrics().oldSide()) + " → " + label(d.metrics().newSide());
    }

    static List<String> metricsHeader(ReportData d) {
        return List.of("metric", d.metrics().oldSide().ref(), d.metrics().newSide().ref(), "change", "change %", "status",
                "direction");
    }

    static List<List<String>> metrics(ReportData d) {
        List<List<String>> rows = new ArrayList<>();
        for (MetricsCompare.Change c : d.metrics().rows()) {
            rows.add(List.of(c.key(), c.oldValue() == null ? "-" : c.oldValue().shown(),
                    c.newValue() == null ? "-" : c.newValue().shown(), orEmpty(c.absoluteShown()),
                    orEmpty(c.relativeShown()), c.status(), c.direction() + " (" + c.directionRule() + ")"));
        }
        return rows;
    }

    /** {@code 2 better, 1 worse, 3 same}: the counts {@code metrics diff} prints. */
    static String counts(MetricsCompare.Result r) {
        List<String> parts = new ArrayList<>();
        r.counts().forEach((status, n) -> {
            if (n > 0) {
                parts.add(n + " " + status.toLowerCase(Locale.ROOT));
            }
        });
        return String.join(", ", parts);
    }

    static String gatesSummary(ReportData d) {
        if (d.gates() == null) {
            return "No gates: " + (d.gatesFor() == null ? "none given" : "none configured for '" + d.gatesFor()
                    + "' in .mlv/config.json and none given") + " (--require, --no-regress, --for BRANCH).";
        }
        long failed = d.gates().gates().stream().filter(g -> !g.passed()).count();
        return (failed == 0 ? "All " + d.gates().gates().size() + " gates passed" : failed + " of "
                + d.gates().gates().size() + " gates FAILED") + " for " + d.metrics().newSide().ref() + " against "
                + d.metrics().oldSide().ref() + (d.gatesFor() == null ? "" : " (gates of '" + d.gatesFor() + "')") + ".";
    }

    static List<String> gatesHeader(ReportData d) {
        return List.of("metric", "rule", d.metrics().newSide().ref(), d.metrics().oldSide().ref(), "result");
    }

    static List<List<String>> gates(ReportData d) {
        List<List<String>> rows = new ArrayList<>();
        for (GateRow g : d.gates().gates()) {
            rows.add(List.of(g.metric(), g.rule(), g.src() == null ? "-" : g.src().shown(),
                    g.dst() == null ? "-" : g.dst().shown(),
                    (g.passed() ? "pass" : "FAIL") + (g.reason() == null || g.reason().isEmpty() ? "" : ": " + g.reason())));
        }
        return rows;
    }

    static List<String> paramsHeader(ReportData d) {
        return List.of("parameter", d.params().oldSide().ref(), d.params().newSide().ref(), "change", "status");
    }

    /** Parameters that differ; the same ones are only counted. */
    static List<List<String>> params(ReportData d) {
        List<List<String>> rows = new ArrayList<>();
        for (MetricsCompare.Change c : d.params().rows()) {
            if (!c.status().equals("SAME")) {
                rows.add(List.of(c.key(), c.oldValue() == null ? "-" : c.oldValue().shown(),
                        c.newValue() == null ? "-" : c.newValue().shown(), orEmpty(c.absoluteShown()), c.status()));
            }
        }
        return rows;
    }

    static String paramsSummary(ReportData d) {
        if (d.params().rows().isEmpty()) {
            return "No parameters (params/*.json) on either side.";
        }
        long same = d.params().rows().stream().filter(c -> c.status().equals("SAME")).count();
        return d.params().rows().size() - same + " changed, " + same + " the same.";
    }

    static List<String> curveHeader() {
        return List.of("side", "rows", "first", "last (step)", "best (step)");
    }

    /** One row per side that has the key: how many values, first, last and best with steps. */
    static List<List<String>> curve(CurveCharts.Pair pair, ReportData d) {
        List<List<String>> rows = new ArrayList<>();
        addCurveRow(rows, d.metrics().oldSide().ref(), pair.oldColumn());
        addCurveRow(rows, d.metrics().newSide().ref(), pair.newColumn());
        return rows;
    }

    private static void addCurveRow(List<List<String>> rows, String side, CurveFile.Column c) {
        if (c == null) {
            rows.add(List.of(side, "-", "-", "-", "-"));
            return;
        }
        rows.add(List.of(side, Long.toString(c.count()), c.first().value().shown(),
                c.last().value().shown() + " (" + c.last().step() + ")",
                c.best() == null ? "-" : c.best().value().shown() + " (" + c.best().step() + ")"));
    }

    static String curveCaption(CurveCharts.Pair pair) {
        CurveFile.Column any = pair.newColumn() != null ? pair.newColumn() : pair.oldColumn();
        return pair.key() + " — " + any.direction() + " (" + any.directionRule() + ")";
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
