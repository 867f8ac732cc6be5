package dev.mlv.serve.web;

import dev.mlv.core.ErrorKind;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.experiment.ExperimentList;
import dev.mlv.core.experiment.MetricCell;
import dev.mlv.core.promotion.History;
import java.util.Map;

/**
 * Each environment branch ({@code .mlv/config.json}'s environments): what it serves now (its tip
 * and metrics) and its promotion timeline, newest first as {@code mlv history} lists it, with
 * rollbacks, the gates each promotion passed and the metrics it carried.
 */
final class EnvironmentsPage {
    private final MlvRepository repo;
    private final ExperimentsPage experiments;

    EnvironmentsPage(MlvRepository repo, ExperimentsPage experiments) {
        this.repo = repo;
        this.experiments = experiments;
    }

    String render(Query q, String repository) throws MlvException {
        ExperimentList.Result all = experiments.list();
        Html h = Html.page("Environments", "environments", repository).raw("<h1>Environments</h1>");
        if (all.environments().isEmpty()) {
            h.raw("<p class=\"message\">No environments are configured (<code>environments</code> in .mlv/config.json).</p>");
        }
        for (String env : all.environments()) {
            ExperimentList.Row tip = all.rows().stream().filter(r -> r.branch().equals(env)).findFirst().orElse(null);
            History.Result history;
            try {
                history = new History(repo).call(env);
            } catch (MlvException e) {
                if (e.kind() != ErrorKind.NOT_FOUND) {
                    throw e;
                }
                h.raw("<section class=\"env\"><h2>").text(env).raw("</h2><p class=\"message\">No branch and no promotions yet: ")
                        .raw("<code>mlv promote SRC ").text(env).raw(" --create</code>.</p></section>");
                continue;
            }
            h.raw("<section class=\"env\" data-env=\"").text(env).raw("\"><h2>").text(env).raw("</h2>");
            serving(h, tip, history);
            timeline(h, env, history);
            h.raw("</section>");
        }
        return h.finish();
    }

    private static void serving(Html h, ExperimentList.Row tip, History.Result history) {
        h.raw("<div class=\"serving\"><strong>Serving now:</strong> ");
        if (tip == null) {
            h.raw("nothing (the branch does not exist here)</div>");
            return;
        }
        h.raw("<a href=\"/ui/files?ref=").text(Html.query(tip.branch())).raw("\" class=\"commit\">").text(tip.shortCommit()).raw("</a> ")
                .text(tip.subject()).raw(" <span class=\"muted\">").text(tip.date()).raw("</span>");
        History.Entry last = history.promotions().isEmpty() ? null : history.promotions().get(0);
        if (last != null) {
            h.raw("<br>").text(last.commit().equals(tip.commit()) ? "from " + what(last)
                    : "the branch moved after " + what(last) + " (recorded data, or a commit made on it)");
        }
        h.raw("<br>");
        metrics(h, tip.metrics());
        h.raw("</div>");
    }

    private static String what(History.Entry e) {
        return (e.kind().equals("rollback") ? "rollback #" : "promotion #") + e.number();
    }

    private static void timeline(Html h, String env, History.Result history) {
        if (history.promotions().isEmpty()) {
            h.raw("<p class=\"message\">No promotions into ").text(env).raw(" yet.</p>");
            return;
        }
        h.raw("<table class=\"grid timeline\"><thead><tr><th>#</th><th>when</th><th>what</th><th>commit</th><th>metrics</th>")
                .raw("<th>gates</th></tr></thead><tbody>");
        for (History.Entry e : history.promotions()) {
            h.raw("<tr data-number=\"").raw(Integer.toString(e.number())).raw("\" class=\"").raw(e.kind().equals("rollback") ? "rollback" : "promote")
                    .raw("\"><td>").raw(Integer.toString(e.number())).raw("</td><td>").text(e.when()).raw("</td><td>");
            if (e.kind().equals("rollback")) {
                h.raw("rollback").text(e.restores() == null ? "" : " to #" + e.restores());
            } else {
                h.raw("from ").text(e.source()).raw(" <span class=\"commit\">").text(abbrev(e.sourceCommit())).raw("</span>");
            }
            if (e.message() != null) {
                h.raw("<div class=\"muted\">").text(e.message()).raw("</div>");
            }
            h.raw("</td><td class=\"commit\">").text(abbrev(e.commit())).raw("</td><td>");
            metrics(h, e.metrics());
            h.raw("</td><td>");
            for (History.Gate g : e.gates()) {
                h.raw("<div class=\"").raw(g.passed() ? "pass" : "fail").raw("\" title=\"").text(g.reason()).raw("\">")
                        .raw(g.passed() ? "✓ " : "✗ ").text(g.rule()).raw("</div>");
            }
            h.raw("</td></tr>");
        }
        h.raw("</tbody></table>");
    }

    private static void metrics(Html h, Map<String, MetricCell> metrics) {
        h.raw("<span class=\"metrics\">");
        metrics.forEach((k, v) -> h.raw("<span class=\"kv\">").text(k).raw("=").text(v.shown()).raw("</span> "));
        h.raw("</span>");
    }

    private static String abbrev(String id) {
        return id == null ? "" : id.substring(0, Math.min(12, id.length()));
    }
}
