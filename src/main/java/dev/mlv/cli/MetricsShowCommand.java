package dev.mlv.cli;

import dev.mlv.core.experiment.MetricCell;
import dev.mlv.core.experiment.MetricsShow;
import dev.mlv.core.MlvRepository;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code mlv metrics show [REF...]}. */
@Command(
        name = "show",
        description = "Show the metrics of a commit (default HEAD), or of several side by side: one column per REF.",
        footer = {"", "Examples:", "  mlv metrics show", "  mlv metrics show prod dev exp/lr-3e-4", "  mlv metrics show main --json"})
final class MetricsShowCommand implements Callable<Integer> {

    private final CliContext context;

    @Parameters(paramLabel = "REF", arity = "0..*", description = "Branches, tags or commits (default: HEAD).")
    private List<String> refs = new ArrayList<>();

    MetricsShowCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        try (MlvRepository repo = MlvRepository.open(context.directory(), context.session())) {
            MetricsShow.Result r = new MetricsShow(repo).setRefs(refs).call();
            if (context.json()) {
                context.printJson(json(r));
                return ExitCodes.OK;
            }
            if (r.rows().isEmpty()) {
                context.note("no metrics (no metrics/*.json in " + String.join(", ", r.sources().stream().map(MetricsShow.Source::ref).toList()) + ")");
                return ExitCodes.OK;
            }
            List<String> header = new ArrayList<>(List.of("KEY"));
            r.sources().forEach(s -> header.add(r.sources().size() == 1 ? "VALUE" : s.ref()));
            header.add("DIRECTION");
            boolean[] right = new boolean[header.size()];
            for (int i = 1; i < right.length - 1; i++) {
                right[i] = true;
            }
            TextTable table = new TextTable(header, right);
            for (MetricsShow.Row row : r.rows()) {
                List<TextTable.Cell> cells = new ArrayList<>();
                cells.add(TextTable.Cell.of(row.key()));
                row.values().forEach(v -> cells.add(TextTable.Cell.of(v == null ? "-" : v.shown())));
                cells.add(TextTable.Cell.of(row.direction() + " (" + row.directionRule() + ")"));
                table.add(cells);
            }
            table.print(context.out(), false);
            return ExitCodes.OK;
        }
    }

    private static Map<String, Object> json(MetricsShow.Result r) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("sources", r.sources().stream().map(s -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ref", s.ref());
            m.put("commit", s.commit());
            return m;
        }).toList());
        List<Map<String, Object>> metrics = new ArrayList<>();
        for (MetricsShow.Row row : r.rows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", row.key());
            m.put("direction", row.direction());
            m.put("directionRule", row.directionRule());
            List<Object> values = new ArrayList<>();
            for (MetricCell v : row.values()) {
                values.add(v == null ? null : v.value());
            }
            m.put("values", values);
            metrics.add(m);
        }
        doc.put("metrics", metrics);
        return doc;
    }
}
