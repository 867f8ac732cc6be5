package dev.mlv.cli;

import dev.mlv.core.ab.AbConclude;
import dev.mlv.core.MlvRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mlv ab conclude NAME --winner ARM [--into prod]}. */
@Command(
        name = "conclude",
        description = {
            "Promote the winning arm's branch into --into (default prod) through the normal gated promotion, and mark"
                    + " the test concluded (from then on 'ab assign' answers the winner). A failed gate exits 3 and a"
                    + " conflict 4; the test then stays running.",
        },
        footer = {"", "Examples:", "  mlv ab conclude checkout-2026-04 --winner B",
            "  mlv ab conclude latency --winner B --into prod --no-regress accuracy"})
final class AbConcludeCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(index = "0", paramLabel = "NAME", description = "The A/B test.")
    private String name;

    @Option(names = "--winner", required = true, paramLabel = "ARM", description = "The arm that won.")
    private String winner;

    @Option(names = "--into", paramLabel = "BRANCH", defaultValue = "prod", description = "Branch to promote into (default: ${DEFAULT-VALUE}).")
    private String into;

    @Option(names = "--require", paramLabel = "EXPR", description = "A promotion gate, as for 'mlv promote'.")
    private List<String> require = new ArrayList<>();

    @Option(names = "--no-regress", paramLabel = "METRIC[:TOL]", description = "A no-regression gate, as for 'mlv promote'.")
    private List<String> noRegress = new ArrayList<>();

    AbConcludeCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        try (MlvRepository repo = MlvRepository.open(context.directory(), context.session())) {
            AbConclude.Result r = new AbConclude(repo).setWinner(winner).setInto(into).setRequire(require)
                    .setNoRegress(noRegress).call(name);
            if (context.json()) {
                context.printJson(r);
            } else {
                var p = r.promotion();
                GateTable.print(context.out(), p.gates(), p.source(), p.target());
                if (!r.concluded()) {
                    context.err().println("mlv: gates failed; " + into + " was not changed and A/B test " + name + " is still running");
                } else {
                    context.out().println("Concluded A/B test " + name + ": " + winner + " (" + p.source() + ") won; " + into
                            + " is now " + p.commit().substring(0, 12) + " (" + p.outcome() + (p.tag() == null ? "" : ", tagged " + p.tag()) + ")");
                }
            }
            return r.concluded() ? ExitCodes.OK : ExitCodes.GATE_FAILED;
        }
    }
}
