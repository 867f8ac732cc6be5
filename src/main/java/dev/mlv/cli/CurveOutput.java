package dev.mlv.cli;

import dev.mlv.core.experiment.CurveFile;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Training-curve summaries as text and as JSON, for {@code exp show}. */
final class CurveOutput {
    private CurveOutput() {
    }

    /** The {@code curves} section of {@code exp show}: one row per column, or a line saying there are none. */
    static void text(List<CurveFile> curves, PrintWriter out) {
        if (curves.isEmpty()) {
            out.println("curves   none (no metrics/*.jsonl)");
            return;
        }
        out.println("curves");
        TextTable table = new TextTable(List.of("  FILE", "KEY", "ROWS", "LAST", "AT STEP", "BEST", "AT STEP", "DIRECTION"),
                new boolean[] {false, false, true, true, true, true, true, false});
        for (CurveFile f : curves) {
            if (f.columns().isEmpty()) {
                String what = f.rows() == 0 && f.warning() != null ? "unreadable" : "no numeric values";
                table.add(cells("  " + f.path(), what, Long.toString(f.rows()), "", "", "", "", ""));
            }
            for (CurveFile.Column c : f.columns()) {
                table.add(cells("  " + f.path(), c.key(), Long.toString(c.count()),
                        c.last().value().shown(), Long.toString(c.last().step()),
                        c.best() == null ? "-" : c.best().value().shown(),
                        c.best() == null ? "-" : Long.toString(c.best().step()),
                        c.direction() + " (" + c.directionRule() + ")"));
            }
        }
        table.print(out, false);
    }

    private static List<TextTable.Cell> cells(String... texts) {
        return java.util.Arrays.stream(texts).map(TextTable.Cell::of).toList();
    }

    /**
     * {@code [{file, rows, malformedRows, warning, columns: [{key, column, direction,
     * directionRule, count, first, last, best}]}]}, each of the last three {@code {step, value}}
     * ({@code best} null when every value was NaN).
     */
    static List<Map<String, Object>> json(List<CurveFile> curves) {
        return curves.stream().map(f -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("file", f.path());
            e.put("rows", f.rows());
            e.put("malformedRows", f.malformedRows());
            e.put("warning", f.warning());
            e.put("columns", f.columns().stream().map(CurveOutput::column).toList());
            return e;
        }).toList();
    }

    private static Map<String, Object> column(CurveFile.Column c) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("key", c.key());
        e.put("column", c.column());
        e.put("direction", c.direction());
        e.put("directionRule", c.directionRule());
        e.put("count", c.count());
        e.put("first", c.first());
        e.put("last", c.last());
        e.put("best", c.best());
        return e;
    }
}
