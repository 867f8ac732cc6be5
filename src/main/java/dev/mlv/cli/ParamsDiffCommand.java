package dev.mlv.cli;

import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.experiment.MetricsCompare;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mlv params diff [A [B]]}: {@code metrics diff} for {@code params/}. */
@Command(
        name = "diff",
        description = {
            "Compare parameters key by key: old, new, absolute and relative change, and status (SAME, CHANGED,"
                    + " ADDED, REMOVED; parameters have no direction).",
            "With A and B: commit A (old) against B (new). With only A: A against the work tree's params/."
                    + " With neither: HEAD against the work tree.",
        },
        footer = {
            "",
            "Examples:",
            "  mlv params diff prod exp/lr-3e-4",
            "  mlv params diff --only-changed main exp-b --json",
        })
final class ParamsDiffCommand implements Callable<Integer> {

    private final CliContext context;

    @Parameters(paramLabel = "REF", arity = "0..2", description = "A (old) and B (new): branches, tags or commits.")
    private List<String> refs = new ArrayList<>();

    @Option(names = "--only-changed", description = "Leave out parameters whose value is the same.")
    private boolean onlyChanged;

    ParamsDiffCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        if (refs.size() > 2) {
            throw MlvException.usage("params diff compares two sides; give at most two refs");
        }
        try (MlvRepository repo = MlvRepository.open(context.directory(), context.session())) {
            MetricsCompare.Result r = new MetricsCompare(repo)
                    .setParams(true)
                    .setOld(refs.isEmpty() ? null : refs.get(0))
                    .setNew(refs.size() < 2 ? null : refs.get(1))
                    .setOnlyChanged(onlyChanged)
                    .call();
            return MetricsDiffCommand.render(context, r, onlyChanged, true);
        }
    }
}
