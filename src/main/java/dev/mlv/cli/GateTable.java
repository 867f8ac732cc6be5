package dev.mlv.cli;

import dev.mlv.core.experiment.MetricCell;
import dev.mlv.core.promotion.GateRow;
import dev.mlv.core.promotion.PathPolicy;
import java.io.PrintWriter;
import java.util.List;

/**
 * The gate table that promote and check print (metric, SRC, DST, rule, result), and promote's
 * path-policy table beside it (glob, the side it takes, the differing paths it decides).
 */
final class GateTable {
    private GateTable() {
    }

    static void print(PrintWriter out, List<GateRow> rows, String srcLabel, String dstLabel) {
        if (rows.isEmpty()) {
            return;
        }
        int metricWidth = Math.max(6, rows.stream().mapToInt(r -> r.metric().length()).max().orElse(6));
        int ruleWidth = Math.max(4, rows.stream().mapToInt(r -> r.rule().length()).max().orElse(4));
        String format = "%-" + metricWidth + "s  %-10s  %-10s  %-" + ruleWidth + "s  %s%n";
        out.printf(format, "metric", trim(srcLabel), trim(dstLabel), "rule", "result");
        for (GateRow r : rows) {
            out.printf(format, r.metric(), shown(r.src()), shown(r.dst()), r.rule(),
                    (r.passed() ? "pass" : "FAIL") + (r.reason() == null || r.reason().isEmpty() ? "" : " (" + r.reason() + ")"));
        }
    }

    /** One line per policy: which side it takes and the paths where SRC and DST differ that it decides. */
    static void printPolicies(PrintWriter out, List<PathPolicy> policies, String srcLabel, String dstLabel) {
        if (policies.isEmpty()) {
            return;
        }
        int width = Math.max(4, policies.stream().mapToInt(p -> p.pattern().length()).max().orElse(4));
        out.println("Path policies:");
        for (PathPolicy p : policies) {
            String side = switch (p.side()) {
                case "source" -> "takes " + srcLabel + "'s side";
                case "target" -> "keeps " + dstLabel + "'s side";
                default -> "merges";
            };
            out.printf("  %-" + width + "s  %s (%s)%s%n", p.pattern(), side, p.configured() ? ".mlv/config.json" : "default",
                    p.paths().isEmpty() ? "" : ": " + paths(p.paths()));
        }
        out.println("  everything else merges three-way");
    }

    /** "kept DST's monitoring/x.csv" for each path a policy kept DST's side of: what a landed promotion did not take. */
    static void printKept(PrintWriter out, List<PathPolicy> policies, String dstLabel) {
        for (PathPolicy p : policies) {
            if (p.side().equals("target") && !p.paths().isEmpty()) {
                out.println("  kept " + dstLabel + "'s " + paths(p.paths()) + " (" + p.pattern() + " keeps " + dstLabel + "'s side)");
            }
        }
    }

    private static String paths(List<String> paths) {
        return paths.size() > 5 ? String.join(", ", paths.subList(0, 5)) + " and " + (paths.size() - 5) + " more"
                : String.join(", ", paths);
    }

    private static String shown(MetricCell v) {
        return v == null ? "-" : v.shown();
    }

    private static String trim(String label) {
        return label.length() > 10 ? label.substring(0, 9) + "~" : label;
    }
}
