package dev.mlv.cli;

import dev.mlv.core.experiment.MetricCell;
import dev.mlv.core.promotion.GateRow;
import java.io.PrintWriter;
import java.util.List;

/** The gate table that promote and check print: metric, SRC, DST, rule, result. */
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

    private static String shown(MetricCell v) {
        return v == null ? "-" : v.shown();
    }

    private static String trim(String label) {
        return label.length() > 10 ? label.substring(0, 9) + "~" : label;
    }
}
