package dev.mlv.cli;

import dev.mlv.core.experiment.ExperimentList;
import dev.mlv.core.experiment.MetricCell;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Renders {@code mlv exp list} as a text table, Markdown or CSV (JSON is {@link ExpListCommand#json}). */
final class ExpListOutput {
    private static final String UNREADABLE = "!";
    private static final String PARAMS = "params.";

    private final ExperimentList.Result result;
    private final PrintWriter out;

    ExpListOutput(ExperimentList.Result result, PrintWriter out) {
        this.result = result;
        this.out = out;
    }

    /**
     * The first {@code metricColumns} metrics and {@code paramColumns} parameters; best values
     * bold when {@code ansi}; a DATA column when {@code data}.
     */
    void text(int metricColumns, int paramColumns, boolean ansi, boolean data) {
        List<String> params = result.paramColumns().subList(0, paramColumns);
        List<ExperimentList.Column> cols = result.columns().subList(0, metricColumns);
        List<String> header = new ArrayList<>(List.of("", "BRANCH", "COMMIT", "AGE", "AUTHOR"));
        if (data) {
            header.add("DATA");
        }
        int firstMetric = header.size();
        cols.forEach(c -> header.add(c.key() + " (" + c.direction() + ")"));
        params.forEach(k -> header.add(PARAMS + k));
        boolean[] right = new boolean[header.size()];
        for (int i = firstMetric; i < right.length; i++) {
            right[i] = true;
        }
        TextTable table = new TextTable(header, right);
        for (ExperimentList.Row row : result.rows()) {
            List<TextTable.Cell> cells = new ArrayList<>();
            cells.add(TextTable.Cell.of((row.current() ? "*" : "") + (row.error() != null || row.paramsError() != null ? UNREADABLE : "")));
            cells.add(TextTable.Cell.of(row.branch() + (row.environment() ? " [env]" : "")));
            cells.add(TextTable.Cell.of(row.shortCommit()));
            cells.add(TextTable.Cell.of(Ages.ago(row.ageSeconds())));
            cells.add(TextTable.Cell.of(row.author()));
            if (data) {
                cells.add(TextTable.Cell.of(row.data() == null ? "-" : row.data().substring(0, Math.min(12, row.data().length()))));
            }
            for (ExperimentList.Column c : cols) {
                cells.add(new TextTable.Cell(cell(row, c.key()), row.best().contains(c.key())));
            }
            for (String k : params) {
                cells.add(TextTable.Cell.of(paramCell(row, k)));
            }
            table.add(cells);
        }
        table.print(out, ansi);
    }

    /** A GitHub-flavoured Markdown table; best values in bold. */
    void markdown() {
        StringBuilder head = new StringBuilder("| branch | commit | age | author |");
        StringBuilder rule = new StringBuilder("|---|---|---|---|");
        for (ExperimentList.Column c : result.columns()) {
            head.append(' ').append(md(c.key())).append(" (").append(c.direction()).append(") |");
            rule.append("---:|");
        }
        for (String k : result.paramColumns()) {
            head.append(' ').append(md(PARAMS + k)).append(" |");
            rule.append("---:|");
        }
        out.println(head);
        out.println(rule);
        for (ExperimentList.Row row : result.rows()) {
            StringBuilder line = new StringBuilder("| ").append(md(row.branch()));
            if (row.current()) {
                line.append(" (current)");
            }
            if (row.environment()) {
                line.append(" (env)");
            }
            if (row.error() != null) {
                line.append(" (metrics unreadable)");
            }
            if (row.paramsError() != null) {
                line.append(" (params unreadable)");
            }
            line.append(" | `").append(row.shortCommit()).append("` | ").append(Ages.ago(row.ageSeconds()))
                    .append(" | ").append(md(row.author())).append(" |");
            for (ExperimentList.Column c : result.columns()) {
                String v = md(cell(row, c.key()));
                line.append(' ').append(row.best().contains(c.key()) ? "**" + v + "**" : v).append(" |");
            }
            for (String k : result.paramColumns()) {
                line.append(' ').append(md(paramCell(row, k))).append(" |");
            }
            out.println(line);
        }
    }

    /**
     * CSV (RFC 4180 quoting, LF line ends) with every metric column, then every parameter column
     * ({@code params.KEY}); values exactly as written in the files.
     */
    void csv() {
        List<String> head = new ArrayList<>(List.of("branch", "current", "environment", "commit", "date", "author"));
        result.columns().forEach(c -> head.add(c.key()));
        result.paramColumns().forEach(k -> head.add(PARAMS + k));
        head.add("error");
        out.print(csvLine(head));
        for (ExperimentList.Row row : result.rows()) {
            List<String> cells = new ArrayList<>(List.of(row.branch(), String.valueOf(row.current()),
                    String.valueOf(row.environment()), row.commit(), row.date(), row.author()));
            for (ExperimentList.Column c : result.columns()) {
                MetricCell v = row.metrics().get(c.key());
                cells.add(v == null ? "" : String.valueOf(v.value()));
            }
            for (String k : result.paramColumns()) {
                MetricCell v = row.params().get(k);
                cells.add(v == null ? "" : String.valueOf(v.value()));
            }
            String error = row.error() == null ? row.paramsError()
                    : row.paramsError() == null ? row.error() : row.error() + "; " + row.paramsError();
            cells.add(error == null ? "" : error);
            out.print(csvLine(cells));
        }
        out.flush();
    }

    private static String cell(ExperimentList.Row row, String key) {
        if (row.error() != null) {
            return UNREADABLE;
        }
        MetricCell v = row.metrics().get(key);
        return v == null ? "-" : v.shown();
    }

    private static String paramCell(ExperimentList.Row row, String key) {
        if (row.paramsError() != null) {
            return UNREADABLE;
        }
        MetricCell v = row.params().get(key);
        return v == null ? "-" : v.shown();
    }

    private static String md(String s) {
        return s.replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*").replace("_", "\\_");
    }

    private static String csvLine(List<String> cells) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            if (i > 0) {
                line.append(',');
            }
            if (c.contains(",") || c.contains("\"") || c.contains("\n") || c.contains("\r")) {
                line.append('"').append(c.replace("\"", "\"\"")).append('"');
            } else {
                line.append(c);
            }
        }
        return line.append("\n").toString();
    }
}
