package dev.mlv.cli;

import dev.mlv.core.MlvRepository;
import dev.mlv.core.experiment.ExperimentRemove;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mlv exp rm NAME... | --merged [INTO] | --older-than DURATION}. */
@Command(
        name = "rm",
        description = {
            "Delete experiment branches so their content can be collected now: the branch's reflog goes with it, and"
                    + " HEAD's reflog loses the entries for commits only those branches reached. Then 'mlv gc' frees"
                    + " their large files (after its grace period). Commits another ref still reaches stay.",
            "Refused (exit 4, nothing removed): the checked-out branch; an environment, a branch with promotion tags or"
                    + " an arm of a running A/B test, unless --force. --merged and --older-than never pick those.",
        },
        footer = {"", "Examples:", "  mlv exp rm exp/lr-1e-2 exp/lr-3e-2", "  mlv exp rm --merged main --dry-run",
            "  mlv exp rm --older-than 30d --json", "  mlv gc --dry-run --grace 0"})
final class ExpRmCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(arity = "0..*", paramLabel = "NAME", description = "Branches to delete.")
    private List<String> names = new ArrayList<>();

    @Option(names = "--merged", arity = "0..1", fallbackValue = "", paramLabel = "INTO",
            description = "Every branch whose tip is merged into INTO (default: the checked-out branch).")
    private String merged;

    @Option(names = "--older-than", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Every branch whose tip commit is older than this (30d, 12h); with --merged, both must hold.")
    private Duration olderThan;

    @Option(names = "--force", description = "Also delete named environments, promoted-into branches and running A/B arms.")
    private boolean force;

    @Option(names = "--dry-run", description = "Say what would be deleted; change nothing.")
    private boolean dryRun;

    ExpRmCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        try (MlvRepository repo = MlvRepository.open(context.directory(), context.session())) {
            ExperimentRemove.Result r = new ExperimentRemove(repo).setNames(names).setMerged(merged != null, merged)
                    .setOlderThan(olderThan).setForce(force).setDryRun(dryRun).call();
            if (context.json()) {
                context.printJson(r);
                return ExitCodes.OK;
            }
            String verb = r.dryRun() ? "would remove " : "removed ";
            for (ExperimentRemove.Removed b : r.removed()) {
                context.out().println(verb + b.branch() + " (was " + b.commit().substring(0, 12) + ")");
            }
            for (ExperimentRemove.Kept k : r.kept()) {
                context.note("kept " + k.branch() + ": " + k.reason());
            }
            if (r.removed().isEmpty()) {
                context.note("no branch matched; nothing was removed");
            } else {
                int n = r.reflogEntriesDropped();
                String entries = n + " HEAD reflog entr" + (n == 1 ? "y" : "ies");
                context.note(r.dryRun()
                        ? r.commitsFreed() + " commit(s) would no longer be reachable (their content then collectable by"
                                + " 'mlv gc'); " + entries + " would be dropped"
                        : r.commitsFreed() + " commit(s) no longer reachable: 'mlv gc' can collect their content; "
                                + entries + " dropped");
            }
            return ExitCodes.OK;
        }
    }
}
