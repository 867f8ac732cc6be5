package dev.mlv.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Lays out a report's sections in order, in any {@link ReportFormat}. */
final class ReportWriter {
    private ReportWriter() {
    }

    static String write(ReportData d, ReportFormat f) {
        f.begin(ReportRows.title(d));
        f.paragraph("Comparing " + ReportRows.label(d.metrics().oldSide()) + " (old, " + d.metrics().oldSide().commit()
                + ") with " + ReportRows.label(d.metrics().newSide()) + " (new, " + d.metrics().newSide().commit() + ").");

        f.heading("Metrics");
        if (d.metrics().rows().isEmpty()) {
            f.paragraph("No metrics (metrics/*.json) on either side.");
        } else {
            f.paragraph(ReportRows.counts(d.metrics()) + ".");
            f.table(ReportRows.metricsHeader(d), ReportRows.metrics(d),
                    d.metrics().rows().stream().map(c -> c.status().toLowerCase(Locale.ROOT)).toList());
        }

        f.heading("Gates");
        f.paragraph(ReportRows.gatesSummary(d));
        if (d.gates() != null) {
            f.table(ReportRows.gatesHeader(d), ReportRows.gates(d),
                    d.gates().gates().stream().map(g -> g.passed() ? "pass" : "fail").toList());
        }

        f.heading("Parameters");
        f.paragraph(ReportRows.paramsSummary(d));
        List<List<String>> params = ReportRows.params(d);
        if (!params.isEmpty()) {
            f.table(ReportRows.paramsHeader(d), params, null);
        }

        f.heading("Training curves");
        List<CurveCharts.Pair> pairs = CurveCharts.pairs(d.oldCurves(), d.newCurves());
        if (pairs.isEmpty()) {
            f.paragraph("No training curves (metrics/*.jsonl) on either side.");
        }
        int index = 0;
        for (CurveCharts.Pair pair : pairs) {
            if (index == CurveCharts.MAX_CHARTS) {
                f.paragraph((pairs.size() - index) + " more curve keys not drawn (a report draws at most "
                        + CurveCharts.MAX_CHARTS + "); 'mlv exp show' lists them all.");
                break;
            }
            index++;
            f.chart(pair, index, ReportRows.curveCaption(pair));
            f.table(ReportRows.curveHeader(), ReportRows.curve(pair, d), null);
        }
        List<String> warnings = new ArrayList<>(d.curveWarnings());
        if (!warnings.isEmpty()) {
            f.paragraph("Warnings:");
            f.list(warnings);
        }
        return f.end();
    }
}
