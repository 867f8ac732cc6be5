package dev.mlv.cli;

import dev.mlv.core.MlvRepository;
import dev.mlv.core.ab.AbShow;
import dev.mlv.core.ab.AbTest;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code mlv ab show NAME}. */
@Command(
        name = "show",
        description = {
            "Show one A/B test as recorded: status, arms (branch, pinned commit, weight), metric and monitoring file,"
                    + " the winner and its promotion once concluded, and the test's history (the commits of"
                    + " refs/mlv/ab/NAME). For the data, see 'mlv ab report NAME'.",
        },
        footer = {"", "Examples:", "  mlv ab show checkout-2026-04", "  mlv ab show checkout-2026-04 --json"})
final class AbShowCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(index = "0", paramLabel = "NAME", description = "The A/B test.")
    private String name;

    AbShowCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        try (MlvRepository repo = MlvRepository.open(context.directory(), context.session())) {
            AbShow.Result r = new AbShow(repo).call(name);
            if (context.json()) {
                context.printJson(r);
                return ExitCodes.OK;
            }
            AbTest t = r.test();
            PrintWriter out = context.out();
            out.println("A/B test " + t.name() + " (" + t.status() + "), " + r.ref() + " at " + r.commit().substring(0, 12));
            out.println("  created   " + t.createdAt());
            out.println("  metric    " + (t.metric() == null ? "-" : t.metric()) + " from " + t.monitoringFile());
            for (AbTest.Arm a : t.arms()) {
                out.printf(java.util.Locale.ROOT, "  arm %-6s %5.1f%%  %s @ %s%n", a.name(), a.weight() * 100, a.branch(),
                        a.commit().substring(0, 12));
            }
            if (t.winner() != null) {
                out.println("  winner    " + t.winner() + ", promoted into " + t.promotedInto() + " at " + t.concludedAt()
                        + (t.promotionTag() == null ? "" : " (" + t.promotionTag() + ")"));
            }
            out.println("History:");
            for (AbShow.Change c : r.history()) {
                out.println("  " + c.commit().substring(0, 12) + "  " + c.time() + "  " + c.subject());
            }
            return ExitCodes.OK;
        }
    }
}
