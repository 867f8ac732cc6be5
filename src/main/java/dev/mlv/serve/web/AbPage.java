package dev.mlv.serve.web;

import dev.mlv.core.ErrorKind;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.ab.AbList;
import dev.mlv.core.ab.AbReport;
import dev.mlv.core.ab.AbTest;
import java.util.ArrayList;
import java.util.List;

/** The A/B tests ({@code mlv ab list}) and one test's report ({@code mlv ab report}): arms, counts, means with 95% intervals, verdict. */
final class AbPage {
    private final MlvRepository repo;

    AbPage(MlvRepository repo) {
        this.repo = repo;
    }

    /** The chart's data: per arm its mean and 95% interval (nulls where undefined). */
    record Intervals(String metric, List<String> arms, List<Double> mean, List<Double> low, List<Double> high) {
    }

    String render(Query q, String repository) throws MlvException {
        String name = q.first("test", null);
        return name == null ? list(repository) : report(name, repository);
    }

    private String list(String repository) throws MlvException {
        List<AbTest> tests = new AbList(repo).call().tests();
        Html h = Html.page("A/B tests", "ab", repository).raw("<h1>A/B tests</h1>");
        if (tests.isEmpty()) {
            return h.raw("<p class=\"message\">No A/B tests yet: <code>mlv ab create NAME A=BRANCH B=BRANCH</code>.</p>").finish();
        }
        h.raw("<table class=\"grid\" id=\"ab-tests\"><thead><tr><th>test</th><th>status</th><th>arms</th><th>metric</th><th>created</th>")
                .raw("<th>winner</th></tr></thead><tbody>");
        for (AbTest t : tests) {
            h.raw("<tr><td><a href=\"/ui/ab?test=").text(Html.query(t.name())).raw("\">").text(t.name()).raw("</a></td><td>").text(t.status())
                    .raw("</td><td>");
            t.arms().forEach(a -> h.text(a.name()).raw("=").text(a.branch()).raw(" "));
            h.raw("</td><td>").text(t.metric()).raw("</td><td>").text(t.createdAt()).raw("</td><td>").text(t.winner()).raw("</td></tr>");
        }
        return h.raw("</tbody></table>").finish();
    }

    private String report(String name, String repository) throws MlvException {
        Html h = Html.page("A/B test " + name, "ab", repository).raw("<h1>A/B test ").text(name).raw("</h1>");
        AbReport.Result r;
        try {
            r = new AbReport(repo).call(name);
        } catch (MlvException e) {
            if (e.kind() != ErrorKind.USAGE) {
                throw e;
            }
            return h.raw("<p class=\"error\">").text(e.getMessage()).raw("</p>").finish();
        }
        AbTest t = r.test();
        h.raw("<p>").text(t.status()).raw(t.winner() == null ? "" : ", winner ").text(t.winner() == null ? "" : t.winner())
                .raw(" · metric <code>").text(r.metric()).raw("</code> in <code>").text(r.file()).raw("</code> · α = ")
                .text(Html.number(r.alpha())).raw("</p>");
        h.raw("<p class=\"verdict\" id=\"verdict\">").text(r.verdict()).raw("</p>");
        List<String> arms = new ArrayList<>();
        List<Double> mean = new ArrayList<>();
        List<Double> low = new ArrayList<>();
        List<Double> high = new ArrayList<>();
        h.raw("<table class=\"grid\" id=\"arms\"><thead><tr><th>arm</th><th>branch</th><th>pinned</th><th>count</th><th>mean</th>")
                .raw("<th>95% interval</th><th>skipped</th><th>notes</th></tr></thead><tbody>");
        for (AbReport.ArmStats a : r.arms()) {
            double[] ci = AbReport.interval95(a);
            arms.add(a.arm());
            mean.add(Double.isFinite(a.mean()) ? a.mean() : null);
            low.add(ci == null ? null : ci[0]);
            high.add(ci == null ? null : ci[1]);
            h.raw("<tr data-arm=\"").text(a.arm()).raw("\"><td>").text(a.arm()).raw("</td><td>").text(a.branch()).raw("</td><td class=\"commit\">")
                    .text(a.pinnedCommit().substring(0, 12)).raw("</td><td class=\"num\">").raw(Long.toString(a.count()))
                    .raw("</td><td class=\"num\">").text(Html.number(a.mean())).raw("</td><td class=\"num\">")
                    .text(ci == null ? "–" : Html.number(ci[0]) + " … " + Html.number(ci[1])).raw("</td><td class=\"num\">")
                    .raw(Long.toString(a.skipped())).raw("</td><td>");
            if (a.modelChanged()) {
                h.raw("the branch's models/ changed since the test began; ");
            }
            if (a.rewritten()) {
                h.raw("the file was replaced, every row counted; ");
            }
            h.raw("</td></tr>");
        }
        h.raw("</tbody></table>");
        h.raw("<figure class=\"chart intervals\" data-chart=\"").json(new Intervals(r.metric(), arms, mean, low, high))
                .raw("\"><figcaption>mean of ").text(r.metric()).raw(" per arm, with its 95% interval</figcaption></figure>");
        h.raw("<h2>Against the control</h2><table class=\"grid\"><thead><tr><th>arm</th><th>test</th><th>statistic</th><th>p</th>")
                .raw("<th>verdict</th></tr></thead><tbody>");
        for (AbReport.Comparison c : r.comparisons()) {
            h.raw("<tr class=\"").raw(c.significant() ? "significant" : "").raw("\"><td>").text(c.arm()).raw(" vs ").text(c.control())
                    .raw("</td><td>").text(c.test()).raw("</td><td class=\"num\">").text(Html.number(c.statistic()))
                    .raw("</td><td class=\"num\">").text(Html.number(c.pValue())).raw("</td><td>").text(c.verdict()).raw("</td></tr>");
        }
        return h.raw("</tbody></table>").finish();
    }
}
