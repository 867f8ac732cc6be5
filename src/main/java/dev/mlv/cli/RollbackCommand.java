package dev.mlv.cli;

import dev.mlv.core.MlvRepository;
import dev.mlv.core.promotion.Rollback;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mlv rollback DST}. */
@Command(
        name = "rollback",
        description = {
            "Restore DST to an earlier promotion with a new commit (history is never rewritten), tagged as a promotion.",
            "Default: the promotion before the current one; rolling back again steps back further.",
        },
        footer = {"", "Examples:", "  mlv rollback prod", "  mlv rollback prod --to 3", "  mlv rollback prod --to promote/prod/3"})
final class RollbackCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(paramLabel = "DST", description = "The branch to roll back.")
    private String dst;

    @Option(names = "--to", paramLabel = "N|TAG|COMMIT", description = "The promotion number, tag, or commit to restore.")
    private String to;

    RollbackCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        try (MlvRepository repo = MlvRepository.open(context.directory(), context.session())) {
            Rollback.Result r = new Rollback(repo).setTo(to).call(dst);
            if (context.json()) {
                context.printJson(r);
            } else {
                context.info("Rolled back " + dst + " to " + (r.restored() == null ? r.restoredCommit().substring(0, 12)
                        : "promotion #" + r.restored()) + ": " + dst + " is now " + r.commit().substring(0, 12) + ", tagged " + r.tag());
                r.changes().forEach(c -> context.info(String.format("  %-8s %s", c.type(), c.path())));
            }
            return ExitCodes.OK;
        }
    }
}
