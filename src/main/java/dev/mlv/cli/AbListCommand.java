package dev.mlv.cli;

import dev.mlv.core.MlvRepository;
import dev.mlv.core.ab.AbList;
import dev.mlv.core.ab.AbTest;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

/** {@code mlv ab list}. */
@Command(
        name = "list",
        description = {
            "List the A/B tests recorded here (refs/mlv/ab/*; 'mlv fetch' brings other people's): name, status,"
                    + " arms with their weights and branches, metric, and the winner once concluded.",
        },
        footer = {"", "Examples:", "  mlv ab list", "  mlv ab list --json"})
final class AbListCommand implements Callable<Integer> {
    private final CliContext context;

    AbListCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        try (MlvRepository repo = MlvRepository.open(context.directory(), context.session())) {
            AbList.Result r = new AbList(repo).call();
            if (context.json()) {
                context.printJson(r);
                return ExitCodes.OK;
            }
            if (r.tests().isEmpty()) {
                context.err().println("mlv: no A/B tests; create one with 'mlv ab create NAME --arm A=BRANCH --arm B=BRANCH'");
                return ExitCodes.OK;
            }
            for (AbTest t : r.tests()) {
                String arms = t.arms().stream()
                        .map(a -> String.format(java.util.Locale.ROOT, "%s=%s %.1f%%", a.name(), a.branch(), a.weight() * 100))
                        .collect(Collectors.joining(", "));
                context.out().println(t.name() + "  " + t.status() + "  " + arms
                        + (t.metric() == null ? "" : "  metric " + t.metric())
                        + (t.winner() == null ? "" : "  winner " + t.winner() + " -> " + t.promotedInto()));
            }
            return ExitCodes.OK;
        }
    }
}
