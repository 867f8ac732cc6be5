package dev.mlv.cli;

import dev.mlv.core.experiment.ExperimentShow;
import dev.mlv.core.MlvRepository;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code mlv exp show [REF]}. */
@Command(
        name = "show",
        description = "Show one experiment commit: commit, message, author, date, run record (logs/run.json),"
                + " metrics with their directions, parameters, training curves (metrics/*.jsonl: last and best"
                + " value, at which step) and large files.",
        footer = {"", "Examples:", "  mlv exp show", "  mlv exp show prod --json"})
final class ExpShowCommand implements Callable<Integer> {

    private final CliContext context;

    @Parameters(paramLabel = "REF", arity = "0..1", description = "A branch, tag or commit (default: HEAD).")
    private String ref;

    ExpShowCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        try (MlvRepository repo = MlvRepository.open(context.directory(), context.session())) {
            ExperimentShow.Result r = new ExperimentShow(repo).setRef(ref).call();
            r.curveWarnings().forEach(context::warn);
            if (context.json()) {
                context.printJson(json(r));
            } else {
                text(r, context.out());
            }
            return ExitCodes.OK;
        }
    }

    private static Map<String, Object> json(ExperimentShow.Result r) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("ref", r.ref());
        doc.put("commit", r.commit());
        doc.put("parents", r.parents());
        doc.put("author", r.author());
        doc.put("authorEmail", r.authorEmail());
        doc.put("date", r.date());
        doc.put("message", r.message());
        doc.put("run", r.run());
        doc.put("runError", r.runError());
        List<Map<String, Object>> metrics = r.metrics().stream().map(m -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("key", m.key());
            e.put("value", m.value().value());
            e.put("direction", m.direction());
            e.put("directionRule", m.directionRule());
            e.put("origin", m.origin());
            return e;
        }).toList();
        doc.put("metrics", metrics);
        doc.put("metricsError", r.metricsError());
        doc.put("largeFiles", r.largeFiles());
        List<Map<String, Object>> params = r.params().stream().map(p -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("key", p.key());
            e.put("value", p.value().value());
            e.put("origin", p.origin());
            return e;
        }).toList();
        doc.put("params", params);
        doc.put("paramsError", r.paramsError());
        doc.put("curves", CurveOutput.json(r.curves()));
        return doc;
    }

    private static void text(ExperimentShow.Result r, PrintWriter out) {
        out.println("commit   " + r.commit() + (r.ref().equals("HEAD") ? "" : " (" + r.ref() + ")"));
        out.println("author   " + r.author() + " <" + r.authorEmail() + ">");
        out.println("date     " + r.date());
        out.println();
        r.message().strip().lines().forEach(l -> out.println(l.isEmpty() ? "" : "    " + l));
        out.println();
        ExperimentShow.Run run = r.run();
        if (run != null) {
            out.printf(Locale.ROOT, "run      %s (exit %s, %s)%n", String.join(" ", run.command()),
                    run.exitCode() == null ? "?" : run.exitCode(),
                    run.durationSeconds() == null ? "? s" : String.format(Locale.ROOT, "%.1f s", run.durationSeconds()));
            out.println("         data: " + (run.dataCommit() == null ? "no data submodule" : run.dataCommit()));
        } else if (r.runError() != null) {
            out.println("run      unreadable: " + r.runError());
        } else {
            out.println("run      no run record (logs/run.json is not in this commit)");
        }
        if (r.metricsError() != null) {
            out.println("metrics  unreadable: " + r.metricsError());
        } else if (r.metrics().isEmpty()) {
            out.println("metrics  none (no metrics/*.json)");
        } else {
            out.println("metrics");
            TextTable table = new TextTable(List.of("  KEY", "VALUE", "DIRECTION"), new boolean[] {false, true, false});
            r.metrics().forEach(m -> table.add(List.of(TextTable.Cell.of("  " + m.key()),
                    TextTable.Cell.of(m.value().shown()), TextTable.Cell.of(m.direction() + " (" + m.directionRule() + ")"))));
            table.print(out, false);
        }
        if (r.paramsError() != null) {
            out.println("params   unreadable: " + r.paramsError());
        } else if (r.params().isEmpty()) {
            out.println("params   none (no params/*.json)");
        } else {
            out.println("params");
            TextTable table = new TextTable(List.of("  KEY", "VALUE"), new boolean[] {false, true});
            r.params().forEach(p -> table.add(List.of(TextTable.Cell.of("  " + p.key()), TextTable.Cell.of(p.value().shown()))));
            table.print(out, false);
        }
        CurveOutput.text(r.curves(), out);
        if (r.largeFiles().isEmpty()) {
            out.println("large files  none");
        } else {
            out.println("large files");
            TextTable table = new TextTable(List.of("  PATH", "SIZE", "OID"), new boolean[] {false, true, false});
            r.largeFiles().forEach(f -> table.add(List.of(TextTable.Cell.of("  " + f.path()),
                    TextTable.Cell.of(Sizes.human(f.size())), TextTable.Cell.of(f.oid()))));
            table.print(out, false);
        }
    }
}
