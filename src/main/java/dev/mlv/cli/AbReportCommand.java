package dev.mlv.cli;

import dev.mlv.core.ab.AbReport;
import dev.mlv.core.MlvRepository;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mlv ab report NAME}. */
@Command(
        name = "report",
        description = {
            "Per arm: rows, mean and standard deviation of the metric column over the rows added to the monitoring CSV"
                    + " on the arm's branch since the test pinned it (older rows are left out and counted);"
                    + " then each arm against the first: a two-proportion z-test when the column is 0/1, Welch's t-test"
                    + " otherwise, with the two-sided p-value and a verdict.",
        },
        footer = {"", "Examples:", "  mlv ab report checkout-2026-04", "  mlv ab report latency --metric latency_ms --alpha 0.01 --json"})
final class AbReportCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(index = "0", paramLabel = "NAME", description = "The A/B test.")
    private String name;

    @Option(names = "--metric", paramLabel = "COLUMN", description = "Compare this column instead of the test's.")
    private String metric;

    @Option(names = "--alpha", paramLabel = "P", defaultValue = "0.05", description = "Significance level (default: ${DEFAULT-VALUE}).")
    private double alpha;

    AbReportCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        try (MlvRepository repo = MlvRepository.open(context.directory(), context.session())) {
            AbReport.Result r = new AbReport(repo).setMetric(metric).setAlpha(alpha).call(name);
            if (context.json()) {
                context.printJson(r);
                return ExitCodes.OK;
            }
            var out = context.out();
            out.println("A/B test " + name + " (" + r.test().status() + "): " + r.metric() + " from " + r.file());
            out.printf("  %-6s %-24s %8s %12s %12s%n", "arm", "branch", "rows", "mean", "stddev");
            for (AbReport.ArmStats a : r.arms()) {
                List<String> notes = new ArrayList<>();
                if (a.olderRows() > 0) {
                    notes.add(a.olderRows() + " older rows from before the test left out");
                }
                if (a.skipped() > 0) {
                    notes.add(a.skipped() + " rows without a number");
                }
                out.printf("  %-6s %-24s %8d %12s %12s%s%n", a.arm(), a.branch(), a.count(), num(a.mean()), num(a.stddev()),
                        notes.isEmpty() ? "" : "  (" + String.join("; ", notes) + ")");
                if (a.rewritten()) {
                    context.warn(a.branch() + ":" + r.file() + " no longer starts with the rows it held when the test pinned "
                            + a.pinnedCommit().substring(0, 12) + " (replaced, not appended to): all its rows are counted");
                }
                if (a.modelChanged()) {
                    context.warn(a.branch() + "'s models changed since the test pinned " + a.pinnedCommit().substring(0, 12));
                }
            }
            for (AbReport.Comparison c : r.comparisons()) {
                if (c.test() != null) {
                    out.printf("  %s vs %s: %s %s = %s%s, p = %s%n", c.arm(), c.control(), c.test(),
                            c.test().startsWith("welch") ? "t" : "z", num(c.statistic()),
                            c.df() == null ? "" : ", df = " + num(c.df()), num(c.pValue()));
                }
            }
            out.println("Verdict: " + r.verdict());
            return ExitCodes.OK;
        }
    }

    private static String num(double v) {
        if (!Double.isFinite(v)) {
            return Double.isNaN(v) ? "-" : v > 0 ? "inf" : "-inf";
        }
        BigDecimal d = new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros();
        return v != 0 && Math.abs(v) < 1e-4 ? d.toString() : d.toPlainString();
    }
}
