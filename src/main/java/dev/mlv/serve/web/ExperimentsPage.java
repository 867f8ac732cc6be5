package dev.mlv.serve.web;

import dev.mlv.core.ErrorKind;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.experiment.ExperimentList;
import dev.mlv.core.experiment.MetricCell;
import java.util.List;

/**
 * The experiments table: every branch with its metrics and parameters ({@code mlv exp list}),
 * best values marked, sortable, filterable and with columns chosen in the browser. The tips'
 * metrics and parameters are cached by commit id across requests, so a reload reads only the
 * branches that moved.
 */
final class ExperimentsPage {
    /** Tip commits remembered; beyond it the least recently listed are read again. */
    static final int CACHE_COMMITS = 10_000;

    private final MlvRepository repo;
    private final ExperimentList.Cache cache = new ExperimentList.Cache(CACHE_COMMITS);

    ExperimentsPage(MlvRepository repo) {
        this.repo = repo;
    }

    /** Every branch, through the shared cache. */
    ExperimentList.Result list() throws MlvException {
        return new ExperimentList(repo).setCache(cache).call();
    }

    String render(Query q, String repository) throws MlvException {
        List<String> where = q.all("where");
        String glob = q.first("filter", null);
        ExperimentList.Result r;
        String problem = null;
        try {
            r = new ExperimentList(repo).setCache(cache).setWhere(where).setFilters(glob == null ? List.of() : List.of(glob)).call();
        } catch (MlvException e) {
            if (e.kind() != ErrorKind.USAGE) {
                throw e;
            }
            problem = e.getMessage();
            r = list();
        }
        Html h = Html.page("Experiments", "experiments", repository).raw("<h1>Experiments</h1>");
        h.raw("<form method=\"get\" action=\"/ui/\" class=\"query\"><label>Branches <input name=\"filter\" placeholder=\"exp/*\" value=\"")
                .text(glob).raw("\"></label> <label>Where <input name=\"where\" placeholder=\"accuracy&gt;=0.9\" value=\"")
                .text(String.join(" ", where.isEmpty() ? List.of() : where.subList(0, 1))).raw("\"></label> <button type=\"submit\">Apply</button></form>");
        if (problem != null) {
            h.raw("<p class=\"error\">").text(problem).raw("</p>");
        }
        h.raw("<form method=\"get\" action=\"/ui/compare\" id=\"compare-form\"><div class=\"toolbar\">")
                .raw("<input type=\"search\" id=\"quick\" placeholder=\"filter by name\" aria-label=\"filter by name\"> ")
                .raw("<button type=\"submit\" id=\"compare\">Compare selected</button> <span id=\"count\">").text(r.rows().size() + " branches")
                .raw("</span> <details class=\"columns\"><summary>Columns</summary>");
        int col = 4;
        for (ExperimentList.Column c : r.columns()) {
            h.raw("<label><input type=\"checkbox\" checked data-col=\"").raw(Integer.toString(col++)).raw("\"> ").text(c.key()).raw("</label>");
        }
        for (String p : r.paramColumns()) {
            h.raw("<label><input type=\"checkbox\" checked data-col=\"").raw(Integer.toString(col++)).raw("\"> params.").text(p).raw("</label>");
        }
        h.raw("</details></div>");
        h.raw("<table id=\"experiments\" class=\"grid\"><thead><tr><th class=\"pick\"></th>")
                .raw("<th data-type=\"text\">branch</th><th data-type=\"text\">commit</th><th data-type=\"num\" data-dir=\"min\">age</th>");
        for (ExperimentList.Column c : r.columns()) {
            h.raw("<th data-type=\"num\" data-dir=\"").text(c.direction()).raw("\" title=\"").text(c.direction() + " (" + c.directionRule() + ")")
                    .raw("\">").text(c.key()).raw(c.direction().equals("max") ? " ↑" : " ↓").raw("</th>");
        }
        for (String p : r.paramColumns()) {
            h.raw("<th data-type=\"num\" class=\"param\">params.").text(p).raw("</th>");
        }
        h.raw("</tr></thead><tbody>");
        for (ExperimentList.Row row : r.rows()) {
            row(h, r, row);
        }
        return h.raw("</tbody></table></form>").finish();
    }

    private static void row(Html h, ExperimentList.Result r, ExperimentList.Row row) {
        h.raw("<tr data-branch=\"").text(row.branch()).raw("\"><td class=\"pick\"><input type=\"checkbox\" name=\"b\" value=\"")
                .text(row.branch()).raw("\" aria-label=\"select\"></td><td class=\"name\" data-v=\"").text(row.branch()).raw("\">")
                .raw("<a href=\"/ui/files?ref=").text(Html.query(row.branch())).raw("\">").text(row.branch()).raw("</a>");
        if (row.current()) {
            h.raw(" <span class=\"badge\" title=\"checked out here\">current</span>");
        }
        if (row.environment()) {
            h.raw(" <span class=\"badge env\">env</span>");
        }
        if (row.error() != null || row.paramsError() != null) {
            h.raw(" <span class=\"warn\" title=\"").text(row.error() != null ? row.error() : row.paramsError()).raw("\">!</span>");
        }
        h.raw("</td><td class=\"commit\" data-v=\"").text(row.shortCommit()).raw("\" title=\"").text(row.subject()).raw("\">")
                .text(row.shortCommit()).raw("</td><td data-v=\"").raw(Long.toString(row.ageSeconds())).raw("\" title=\"").text(row.date())
                .raw("\">").text(age(row.ageSeconds())).raw("</td>");
        for (ExperimentList.Column c : r.columns()) {
            MetricCell v = row.metrics().get(c.key());
            boolean best = row.best().contains(c.key());
            cell(h, v, best ? "best" : null, best ? "best " + c.key() : null);
        }
        for (String p : r.paramColumns()) {
            cell(h, row.params().get(p), "param", null);
        }
        h.raw("</tr>");
    }

    private static void cell(Html h, MetricCell v, String cls, String title) {
        h.raw("<td");
        if (cls != null) {
            h.raw(" class=\"").raw(cls).raw("\"");
        }
        if (title != null) {
            h.raw(" title=\"").text(title).raw("\"");
        }
        if (v == null) {
            h.raw("></td>");
            return;
        }
        h.raw(" data-v=\"").text(String.valueOf(v.value())).raw("\">").text(v.shown());
        if ("best".equals(cls)) {
            h.raw("<span class=\"star\" aria-hidden=\"true\">★</span>");
        }
        h.raw("</td>");
    }

    static String age(long seconds) {
        if (seconds < 120) {
            return Math.max(0, seconds) + " s";
        }
        if (seconds < 7200) {
            return seconds / 60 + " min";
        }
        if (seconds < 2 * 86400) {
            return seconds / 3600 + " h";
        }
        return seconds / 86400 + " d";
    }
}
