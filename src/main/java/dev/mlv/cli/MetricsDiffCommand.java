package dev.mlv.cli;

import dev.mlv.core.experiment.MetricsCompare;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mlv metrics diff [A [B]]}. */
@Command(
        name = "diff",
        description = {
            "Compare metrics key by key: old, new, absolute and relative change, and status (BETTER, WORSE, SAME,"
                    + " ADDED, REMOVED, CHANGED) by each key's direction.",
            "With A and B: commit A (old) against B (new). With only A: A against the work tree's metrics/."
                    + " With neither: HEAD against the work tree.",
        },
        footer = {
            "",
            "Examples:",
            "  mlv metrics diff prod exp/lr-3e-4",
            "  mlv metrics diff --only-changed prod dev",
            "  mlv metrics diff            # HEAD vs. the work tree, e.g. after a training run",
        })
final class MetricsDiffCommand implements Callable<Integer> {

    private final CliContext context;

    @Parameters(paramLabel = "REF", arity = "0..2", description = "A (old) and B (new): branches, tags or commits.")
    private List<String> refs = new ArrayList<>();

    @Option(names = "--only-changed", description = "Leave out metrics whose value is the same.")
    private boolean onlyChanged;

    MetricsDiffCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        if (refs.size() > 2) {
            throw MlvException.usage("metrics diff compares two sides; give at most two refs");
        }
        try (MlvRepository repo = MlvRepository.open(context.directory(), context.session())) {
            MetricsCompare.Result r = new MetricsCompare(repo)
                    .setOld(refs.isEmpty() ? null : refs.get(0))
                    .setNew(refs.size() < 2 ? null : refs.get(1))
                    .setOnlyChanged(onlyChanged)
                    .call();
            return render(context, r, onlyChanged, false);
        }
    }

    /** Prints a comparison of metrics, or with {@code params} of parameters (no direction column; JSON {@code params}). */
    static int render(CliContext context, MetricsCompare.Result r, boolean onlyChanged, boolean params) {
        if (context.json()) {
            context.printJson(json(r, params));
            return ExitCodes.OK;
        }
        context.info("old: " + describe(r.oldSide()) + "   new: " + describe(r.newSide()));
        if (r.rows().isEmpty()) {
            String noun = params ? "parameter" : "metric";
            context.note(onlyChanged ? "no " + noun + " changed" : "no " + noun + "s on either side");
        } else {
            List<String> header = new ArrayList<>(List.of("KEY", "OLD", "NEW", "CHANGE", "CHANGE%", "STATUS"));
            if (!params) {
                header.add("DIRECTION");
            }
            TextTable table = new TextTable(header, new boolean[] {false, true, true, true, true, false, false});
            for (MetricsCompare.Change c : r.rows()) {
                List<TextTable.Cell> cells = new ArrayList<>(List.of(TextTable.Cell.of(c.key()),
                        TextTable.Cell.of(c.oldValue() == null ? "-" : c.oldValue().shown()),
                        TextTable.Cell.of(c.newValue() == null ? "-" : c.newValue().shown()),
                        TextTable.Cell.of(c.absoluteShown() == null ? "" : c.absoluteShown()),
                        TextTable.Cell.of(c.relativeShown() == null ? "" : c.relativeShown()),
                        TextTable.Cell.of(c.status())));
                if (!params) {
                    cells.add(TextTable.Cell.of(c.direction()));
                }
                table.add(cells);
            }
            table.print(context.out(), false);
        }
        StringBuilder summary = new StringBuilder();
        r.counts().forEach((status, n) -> {
            if (n > 0) {
                summary.append(summary.length() == 0 ? "" : ", ").append(n).append(' ').append(status.toLowerCase(Locale.ROOT));
            }
        });
        if (summary.length() > 0) {
            context.info(summary.toString());
        }
        return ExitCodes.OK;
    }

    private static String describe(MetricsCompare.Side side) {
        String data = side.data() == null ? "" : ", data " + side.data().substring(0, Math.min(12, side.data().length()));
        return side.commit() == null ? side.ref() + (data.isEmpty() ? "" : " (" + data.substring(2) + ")")
                : side.ref() + " (" + side.shortCommit() + data + ")";
    }

    private static Map<String, Object> json(MetricsCompare.Result r, boolean params) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("old", side(r.oldSide()));
        doc.put("new", side(r.newSide()));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (MetricsCompare.Change c : r.rows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", c.key());
            m.put("old", c.oldValue() == null ? null : c.oldValue().value());
            m.put("new", c.newValue() == null ? null : c.newValue().value());
            m.put("absoluteChange", c.absoluteChange());
            m.put("relativeChange", c.relativeChange());
            m.put("status", c.status());
            if (!params) {
                m.put("direction", c.direction());
                m.put("directionRule", c.directionRule());
            }
            rows.add(m);
        }
        doc.put(params ? "params" : "metrics", rows);
        doc.put("counts", r.counts());
        return doc;
    }

    private static Map<String, Object> side(MetricsCompare.Side s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ref", s.ref());
        m.put("commit", s.commit());
        m.put("data", s.data());
        return m;
    }
}
