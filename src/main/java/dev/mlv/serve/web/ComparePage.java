package dev.mlv.serve.web;

import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.experiment.CurveFile;
import dev.mlv.core.experiment.ExperimentCurves;
import dev.mlv.core.experiment.ExperimentList;
import dev.mlv.core.experiment.FilesCompare;
import dev.mlv.core.experiment.MetricCell;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Two or more experiments side by side: a bar chart per metric (one series per experiment), the
 * training curves overlaid (one line per experiment),
 * the parameters with the differing ones marked, and the files each differs in from the first,
 * with sizes and the bytes both versions share in the store.
 */
final class ComparePage {
    /** Most experiments one comparison draws. */
    static final int MAX = 12;

    private final MlvRepository repo;
    private final ExperimentsPage experiments;

    ComparePage(MlvRepository repo, ExperimentsPage experiments) {
        this.repo = repo;
        this.experiments = experiments;
    }

    /** One metric's bars: the experiments' values in order (null where one lacks it). */
    record Bars(String key, String direction, List<String> names, List<Double> values) {
    }

    String render(Query q, String repository) throws MlvException {
        List<String> names = new ArrayList<>(new LinkedHashSet<>(q.all("b")));
        Html h = Html.page("Compare", "compare", repository).raw("<h1>Compare</h1>");
        if (names.size() < 2) {
            return h.raw("<p class=\"message\">Pick two or more experiments on the <a href=\"/ui/\">experiments page</a>.</p>").finish();
        }
        if (names.size() > MAX) {
            throw MlvException.usage("compare at most " + MAX + " experiments at once");
        }
        ExperimentList.Result all = experiments.list();
        Map<String, ExperimentList.Row> byName = new LinkedHashMap<>();
        all.rows().forEach(r -> byName.put(r.branch(), r));
        List<ExperimentList.Row> rows = new ArrayList<>();
        for (String n : names) {
            ExperimentList.Row r = byName.get(n);
            if (r == null) {
                throw MlvException.notFound("branch '" + n + "' not found");
            }
            rows.add(r);
        }
        h.raw("<table class=\"grid\" id=\"chosen\"><thead><tr><th>experiment</th><th>commit</th><th>message</th></tr></thead><tbody>");
        for (ExperimentList.Row r : rows) {
            h.raw("<tr><td>").text(r.branch()).raw("</td><td class=\"commit\">").text(r.shortCommit()).raw("</td><td>").text(r.subject())
                    .raw("</td></tr>");
        }
        h.raw("</tbody></table>");

        h.raw("<h2>Metrics</h2><div class=\"charts\">");
        int drawn = 0;
        for (ExperimentList.Column c : all.columns()) {
            List<Double> values = new ArrayList<>();
            boolean any = false;
            for (ExperimentList.Row r : rows) {
                Double v = number(r.metrics().get(c.key()));
                any |= v != null;
                values.add(v);
            }
            if (any) {
                drawn++;
                h.raw("<figure class=\"chart bars\" data-key=\"").text(c.key()).raw("\" data-chart=\"")
                        .json(new Bars(c.key(), c.direction(), names, values)).raw("\"><figcaption>").text(c.key())
                        .raw(c.direction().equals("max") ? " (higher is better)" : " (lower is better)").raw("</figcaption></figure>");
            }
        }
        h.raw("</div>");
        if (drawn == 0) {
            h.raw("<p class=\"message\">None of these experiments has a numeric metric.</p>");
        }
        curves(h, rows, names);
        params(h, rows);
        files(h, rows);
        return h.finish();
    }

    /** One curve column's lines: the union of the experiments' steps, each experiment's values at them (null where it logged none). */
    record Lines(String key, String x, List<String> series, long[] xs, List<Double[]> ys) {
    }

    /** Points per curve and experiment: plenty for a chart a few hundred pixels wide. */
    static final int CURVE_POINTS = 500;

    private void curves(Html h, List<ExperimentList.Row> rows, List<String> names) throws MlvException {
        // key -> per experiment: step -> value
        Map<String, List<Map<Long, Double>>> byKey = new java.util.TreeMap<>();
        List<String> warnings = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            ExperimentCurves.Result r = new ExperimentCurves(repo).setRef(rows.get(i).commit()).setMaxPoints(CURVE_POINTS).call();
            warnings.addAll(r.warnings());
            for (CurveFile f : r.curves()) {
                for (CurveFile.Column c : f.columns()) {
                    List<Map<Long, Double>> perExperiment = byKey.computeIfAbsent(c.key(), k -> {
                        List<Map<Long, Double>> list = new ArrayList<>();
                        rows.forEach(x -> list.add(new java.util.HashMap<>()));
                        return list;
                    });
                    for (int p = 0; p < c.steps().length; p++) {
                        double v = c.values()[p];
                        perExperiment.get(i).put(c.steps()[p], Double.isFinite(v) ? v : null);
                    }
                }
            }
        }
        if (byKey.isEmpty()) {
            return;
        }
        h.raw("<h2>Training curves</h2><div class=\"charts\">");
        for (Map.Entry<String, List<Map<Long, Double>>> e : byKey.entrySet()) {
            java.util.TreeSet<Long> steps = new java.util.TreeSet<>();
            e.getValue().forEach(m -> steps.addAll(m.keySet()));
            long[] xs = steps.stream().mapToLong(Long::longValue).toArray();
            List<Double[]> ys = new ArrayList<>();
            for (Map<Long, Double> m : e.getValue()) {
                Double[] y = new Double[xs.length];
                for (int j = 0; j < xs.length; j++) {
                    y[j] = m.get(xs[j]);
                }
                ys.add(y);
            }
            h.raw("<figure class=\"chart lines\" data-key=\"").text(e.getKey()).raw("\" data-chart=\"")
                    .json(new Lines("curve:" + e.getKey(), "step", names, xs, ys)).raw("\"><figcaption>").text(e.getKey())
                    .raw(" by step</figcaption></figure>");
        }
        h.raw("</div>");
        for (String w : warnings) {
            h.raw("<p class=\"error\">").text(w).raw("</p>");
        }
    }

    private static void params(Html h, List<ExperimentList.Row> rows) {
        TreeSet<String> keys = new TreeSet<>();
        rows.forEach(r -> keys.addAll(r.params().keySet()));
        h.raw("<h2>Parameters</h2>");
        if (keys.isEmpty()) {
            h.raw("<p class=\"message\">No params/*.json in these experiments.</p>");
            return;
        }
        h.raw("<label class=\"toggle\"><input type=\"checkbox\" id=\"only-changed\"> only parameters that differ</label>")
                .raw("<table class=\"grid\" id=\"params\"><thead><tr><th>parameter</th>");
        rows.forEach(r -> h.raw("<th>").text(r.branch()).raw("</th>"));
        h.raw("</tr></thead><tbody>");
        for (String key : keys) {
            List<Object> values = rows.stream().map(r -> r.params().get(key)).map(c -> c == null ? null : c.value()).toList();
            boolean same = values.stream().allMatch(v -> Objects.equals(v, values.get(0)));
            h.raw("<tr class=\"").raw(same ? "same" : "changed").raw("\"><td>").text(key).raw("</td>");
            for (ExperimentList.Row r : rows) {
                MetricCell c = r.params().get(key);
                h.raw("<td>").text(c == null ? "" : c.shown()).raw("</td>");
            }
            h.raw("</tr>");
        }
        h.raw("</tbody></table>");
    }

    private void files(Html h, List<ExperimentList.Row> rows) throws MlvException {
        ExperimentList.Row base = rows.get(0);
        h.raw("<h2>Files</h2>");
        for (ExperimentList.Row other : rows.subList(1, rows.size())) {
            FilesCompare.Result r = new FilesCompare(repo).call(base.commit(), other.commit());
            h.raw("<h3>").text(base.branch()).raw(" → ").text(other.branch()).raw("</h3>");
            if (r.changes().isEmpty()) {
                h.raw("<p class=\"message\">The same files.</p>");
                continue;
            }
            h.raw("<table class=\"grid files\"><thead><tr><th>path</th><th>change</th><th>size in ").text(base.branch())
                    .raw("</th><th>size in ").text(other.branch()).raw("</th><th title=\"bytes of the new version in chunks the old one has\">shared</th></tr></thead><tbody>");
            for (FilesCompare.Change c : r.changes()) {
                h.raw("<tr><td>").text(c.path()).raw(c.large() ? " <span class=\"badge\">large</span>" : "").raw("</td><td>").text(c.type())
                        .raw("</td><td class=\"num\">").text(c.oldSize() < 0 ? "" : Html.bytes(c.oldSize()))
                        .raw("</td><td class=\"num\">").text(c.newSize() < 0 ? "" : Html.bytes(c.newSize())).raw("</td><td class=\"num\">");
                if (c.sharedBytes() != null) {
                    long pct = c.newSize() > 0 ? Math.round(100.0 * c.sharedBytes() / c.newSize()) : 0;
                    h.text(Html.bytes(c.sharedBytes()) + " (" + pct + "%)");
                }
                h.raw("</td></tr>");
            }
            h.raw("</tbody></table>");
        }
    }

    private static Double number(MetricCell c) {
        if (c == null || !(c.value() instanceof Number n)) {
            return null;
        }
        double v = n.doubleValue();
        return Double.isFinite(v) ? v : null;
    }
}
