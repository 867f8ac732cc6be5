package dev.mlv.serve.web;

import dev.mlv.core.ErrorKind;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.promotion.History;
import dev.mlv.core.serving.Monitoring;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * For each environment branch, what {@code mlv record} wrote there: the recorded files, and for
 * one of them the newest {@link #LIMIT} record commits with the rows each added and the mean of a
 * chosen numeric column over them, as a table and a line chart over time marked with the
 * promotions and rollbacks (read through {@code core.serving.Monitoring}).
 */
final class MonitoringPage {
    /** Newest record commits shown per environment. */
    static final int LIMIT = 200;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private final MlvRepository repo;
    private final ExperimentsPage experiments;

    MonitoringPage(MlvRepository repo, ExperimentsPage experiments) {
        this.repo = repo;
        this.experiments = experiments;
    }

    /** The chart: the chosen column's mean per record commit, at the commit's time, with the promotions as marks. */
    record Chart(String key, String x, List<String> series, long[] xs, List<Double[]> ys, boolean time, boolean points,
                 List<ChartMark> marks) {
    }

    record ChartMark(long x, String label) {
    }

    String render(Query q, String repository) throws MlvException {
        List<String> environments = experiments.list().environments();
        Html h = Html.page("Monitoring", "monitoring", repository).raw("<h1>Monitoring</h1>");
        if (environments.isEmpty()) {
            h.raw("<p class=\"message\">No environments are configured (<code>environments</code> in .mlv/config.json).</p>");
        }
        String chosenEnv = q.first("env", null);
        for (String env : environments) {
            boolean chosen = env.equals(chosenEnv);
            String file = chosen ? q.first("file", "") : "";
            section(h, env, file.isBlank() ? null : file, chosen ? q.first("column", null) : null);
        }
        return h.finish();
    }

    private void section(Html h, String env, String file, String column) throws MlvException {
        h.raw("<section class=\"env monitoring\" data-env=\"").text(env).raw("\"><h2>").text(env).raw("</h2>");
        History.Result history;
        try {
            history = new History(repo).call(env);
        } catch (MlvException e) {
            if (e.kind() != ErrorKind.NOT_FOUND) {
                throw e;
            }
            h.raw("<p class=\"message\">No branch here yet.</p></section>");
            return;
        }
        Map<String, History.Entry> byCommit = new HashMap<>();
        history.promotions().forEach(p -> byCommit.putIfAbsent(p.commit(), p));
        Monitoring.Result r;
        try {
            r = new Monitoring(repo).setPath(file).setLimit(LIMIT).setLandmarks(byCommit.keySet()).call(env);
        } catch (MlvException e) {
            if (e.kind() != ErrorKind.NOT_FOUND) {
                throw e;
            }
            h.raw("<p class=\"message\">No branch here yet.</p></section>");
            return;
        }
        if (r.files().isEmpty() && r.points().isEmpty()) {
            h.raw("<p class=\"message\">Nothing recorded on ").text(env).raw(" yet: <code>mlv record ").text(env)
                    .raw(" FILE --append-to monitoring/NAME.csv</code>.</p></section>");
            return;
        }
        h.raw("<p class=\"files\">Recorded files: ");
        for (String f : r.files()) {
            if (f.equals(r.path())) {
                h.raw("<strong>").text(f).raw("</strong> ");
            } else {
                h.raw("<a href=\"/ui/monitoring?env=").text(Html.query(env) + "&file=" + Html.query(f)).raw("\">").text(f).raw("</a> ");
            }
        }
        h.raw("</p>");
        if (r.points().isEmpty()) {
            h.raw("<p class=\"message\">No record commit of ").text(r.path() == null ? "this file" : r.path())
                    .raw(" in the branch's recent history.</p></section>");
            return;
        }
        String col = column != null && r.numeric().contains(column) ? column : r.numeric().isEmpty() ? null : r.numeric().get(0);
        columnForm(h, env, r, col);
        if (column != null && !column.equals(col)) {
            h.raw("<p class=\"error\">").text(r.path()).raw(" has no numeric column '").text(column).raw("'.</p>");
        }
        List<Monitoring.Point> points = r.points();
        if (col != null) {
            chart(h, env, r, col, byCommit);
        }
        table(h, r, col, byCommit);
        if (r.earlier()) {
            h.raw("<p class=\"message\">Rows recorded before these are not shown (at most the newest ").raw(Integer.toString(LIMIT))
                    .raw(" record commits; a <code>record --put</code> starts afresh).</p>");
        }
        if (r.stoppedAt() != null) {
            h.raw("<p class=\"message\">Commit <span class=\"commit\">").text(r.stoppedAt().substring(0, 12))
                    .raw("</span> changed the file other than by <code>mlv record</code>; rows before it are not shown.</p>");
        }
        h.raw("</section>");
    }

    private static void columnForm(Html h, String env, Monitoring.Result r, String col) {
        if (r.numeric().isEmpty()) {
            h.raw("<p class=\"message\">No numeric column in the shown rows.</p>");
            return;
        }
        h.raw("<form method=\"get\" action=\"/ui/monitoring\" class=\"query\"><input type=\"hidden\" name=\"env\" value=\"").text(env)
                .raw("\"><input type=\"hidden\" name=\"file\" value=\"").text(r.path()).raw("\"><label>Column <select name=\"column\">");
        for (String c : r.numeric()) {
            h.raw("<option value=\"").text(c).raw("\"").raw(c.equals(col) ? " selected" : "").raw(">").text(c).raw("</option>");
        }
        h.raw("</select></label> <button type=\"submit\">Show</button></form>");
    }

    private static void chart(Html h, String env, Monitoring.Result r, String col, Map<String, History.Entry> byCommit) {
        List<Monitoring.Point> points = r.points();
        long[] xs = new long[points.size()];
        Double[] ys = new Double[points.size()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = points.get(i).time();
            ys[i] = points.get(i).means().get(col);
        }
        List<ChartMark> marks = new ArrayList<>();
        for (Monitoring.Mark m : r.marks()) {
            if (m.pointsBefore() > 0 && m.pointsBefore() < points.size()) {
                marks.add(new ChartMark(m.time(), "#" + byCommit.get(m.commit()).number()));
            }
        }
        h.raw("<figure class=\"chart lines\" data-key=\"").text(col).raw("\" data-chart=\"")
                .json(new Chart("monitor:" + env, "time", List.of("mean of " + col), xs, List.<Double[]>of(ys), true, true, marks))
                .raw("\"><figcaption>mean of ").text(col).raw(" per record commit of ").text(r.path())
                .raw(" (dashed: promotions and rollbacks)</figcaption></figure>");
    }

    private static void table(Html h, Monitoring.Result r, String col, Map<String, History.Entry> byCommit) {
        List<Monitoring.Point> points = r.points();
        // which promotion each point came after: the newest mark with no more points before it than the point's index
        String[] serving = new String[points.size()];
        for (Monitoring.Mark m : r.marks()) {
            History.Entry e = byCommit.get(m.commit());
            for (int i = m.pointsBefore(); i < points.size(); i++) {
                serving[i] = (e.kind().equals("rollback") ? "rollback #" : "promotion #") + e.number();
            }
        }
        h.raw("<table class=\"grid records\"><thead><tr><th>commit</th><th>when</th><th>what</th><th>rows</th><th>")
                .text(col == null ? "mean" : "mean of " + col).raw("</th><th>after</th><th>message</th></tr></thead><tbody>");
        for (int i = points.size() - 1; i >= 0; i--) {
            Monitoring.Point p = points.get(i);
            Double mean = col == null ? null : p.means().get(col);
            h.raw("<tr data-commit=\"").text(p.commit()).raw("\"><td class=\"commit\">").text(p.commit().substring(0, 12))
                    .raw("</td><td>").text(WHEN.format(Instant.ofEpochSecond(p.time()))).raw("</td><td>").text(p.kind())
                    .raw("</td><td class=\"num\">").text(Long.toString(p.rows())).raw("</td><td class=\"num\">")
                    .text(mean == null ? "" : Html.number(mean)).raw("</td><td>").text(serving[i] == null ? "" : serving[i])
                    .raw("</td><td>").text(p.subject()).raw("</td></tr>");
        }
        h.raw("</tbody></table>");
    }
}
