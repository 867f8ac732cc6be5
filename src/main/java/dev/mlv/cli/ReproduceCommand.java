package dev.mlv.cli;

import dev.mlv.core.MlvRepository;
import dev.mlv.core.experiment.Reproduce;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mlv reproduce REF}. */
@Command(
        name = "reproduce",
        description = {
            "Check REF out in a temporary directory (code, data submodule at its pinned commit, large files), re-run"
                    + " the command its logs/run.json records, and compare every metric (within tolerance) and every"
                    + " file under models/ (bit for bit, unless --metrics-only or --ignore) with what REF recorded.",
            "Exit 0 when it reproduced, 3 when not, 5 when REF has no run record. Your work tree is not touched.",
        },
        footer = {"", "Examples:", "  mlv reproduce prod", "  mlv reproduce exp/lr --tolerance 1%% --tolerance loss=0.001",
            "  mlv reproduce exp/gpu --metrics-only --tolerance 0.5%%", "  mlv reproduce HEAD --ignore 'models/*.onnx'",
            "  mlv reproduce HEAD --keep"})
final class ReproduceCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(paramLabel = "REF", description = "The branch, tag or commit to reproduce.")
    private String ref;

    @Option(names = "--tolerance", paramLabel = "[METRIC=]T",
            description = "Allowed difference: T absolute (0.01) or relative to the recorded value (1%%); for all metrics,"
                    + " or for METRIC. Repeatable. Default: exact.")
    private List<String> tolerances = List.of();

    @Option(names = "--metrics-only",
            description = "Models may differ (GPU training is rarely bit-identical): files under models/ are listed but"
                    + " only the metrics (within tolerance) and the exit code decide.")
    private boolean metricsOnly;

    @Option(names = "--ignore", paramLabel = "GLOB",
            description = "A path under models/ whose difference does not count (models/*.onnx, *.pt; a pattern without"
                    + " '/' matches a name at any depth). Repeatable.")
    private List<String> ignore = List.of();

    @Option(names = "--keep", description = "Keep the temporary directory for inspection (its path is printed).")
    private boolean keep;

    ReproduceCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        try (MlvRepository repo = MlvRepository.open(context.directory(), context.session())) {
            Reproduce.Result r = new Reproduce(repo).setTolerances(tolerances).setMetricsOnly(metricsOnly)
                    .setIgnore(ignore).setKeep(keep)
                    .setRunOutput(context.environment().err()).call(ref);
            if (context.json()) {
                context.printJson(r);
            } else {
                render(r);
            }
            return r.reproduced() ? ExitCodes.OK : ExitCodes.GATE_FAILED;
        }
    }

    private void render(Reproduce.Result r) {
        PrintWriter out = context.out();
        out.println("Re-ran " + r.ref() + " (" + r.commit().substring(0, 12) + "): " + String.join(" ", r.command())
                + " (exit " + r.exitCode() + ")" + (r.dataCommit() == null ? "" : ", data " + r.dataCommit().substring(0, 12)));
        int nameWidth = Math.max(4, r.rows().stream().mapToInt(row -> row.name().length()).max().orElse(4));
        int valueWidth = Math.max(10, r.rows().stream()
                .mapToInt(row -> Math.max(row.recorded().length(), row.reproduced().length())).max().orElse(10));
        String format = "%-" + nameWidth + "s  %-" + valueWidth + "s  %-" + valueWidth + "s  %-12s  %s%n";
        out.printf(format, "name", "recorded", "reproduced", "diff", "ok");
        for (Reproduce.Row row : r.rows()) {
            out.printf(format, row.name(), row.recorded(), row.reproduced(), row.diff(),
                    (row.ok() ? "yes" : "NO") + (row.tolerance().isEmpty() ? "" : " (tolerance " + row.tolerance() + ")"));
        }
        out.println(r.reproduced() ? "reproduced" : "NOT reproduced");
        if (r.directory() != null) {
            out.println("kept: " + r.directory());
        }
    }
}
