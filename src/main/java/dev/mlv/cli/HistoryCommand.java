package dev.mlv.cli;

import dev.mlv.core.promotion.History;
import dev.mlv.core.MlvRepository;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code mlv history DST}. */
@Command(
        name = "history",
        description = "List the promotions (and rollbacks) into a branch, newest first, from its promote/DST/N tags.",
        footer = {"", "Examples:", "  mlv history prod", "  mlv history prod --json | jq '.promotions[0]'"})
final class HistoryCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(paramLabel = "DST", description = "The branch promoted into.")
    private String dst;

    HistoryCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        try (MlvRepository repo = MlvRepository.open(context.directory(), context.session())) {
            History.Result r = new History(repo).call(dst);
            if (context.json()) {
                context.printJson(r);
                return ExitCodes.OK;
            }
            if (r.promotions().isEmpty()) {
                context.out().println("no promotions into " + dst + " yet");
            }
            for (History.Entry e : r.promotions()) {
                String what = e.kind().equals("rollback")
                        ? "rollback" + (e.restores() == null ? " to " + abbrev(e.sourceCommit()) : " to #" + e.restores())
                        : "from " + e.source() + " (" + abbrev(e.sourceCommit()) + ")";
                StringBuilder m = new StringBuilder();
                e.metrics().entrySet().stream().limit(4).forEach(x -> m.append(' ').append(x.getKey()).append('=').append(x.getValue().shown()));
                context.out().printf("#%-3d %s  %s  %s%s%n", e.number(), e.when() == null ? "?" : e.when(), abbrev(e.commit()), what, m);
                if (e.message() != null) {
                    context.out().println("     " + e.message().lines().findFirst().orElse(""));
                }
            }
            return ExitCodes.OK;
        }
    }

    private static String abbrev(String id) {
        return id == null ? "-" : id.substring(0, Math.min(12, id.length()));
    }
}
