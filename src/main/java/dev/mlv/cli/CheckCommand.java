package dev.mlv.cli;

import dev.mlv.core.promotion.Check;
import dev.mlv.core.MlvRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mlv check REF}. */
@Command(
        name = "check",
        description = "Evaluate metric gates on REF without changing anything (for CI): exit 0 when they pass, 3 when not.",
        footer = {
            "",
            "Examples:",
            "  mlv check HEAD --require 'accuracy>=0.9'",
            "  mlv check exp/x --no-regress accuracy:0.5%% --against prod",
            "  mlv check dev --for prod        # prod's configured gates",
        })
final class CheckCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(paramLabel = "REF", arity = "0..1", description = "Branch or commit whose metrics are checked (default HEAD).")
    private String ref = "HEAD";

    @Option(names = "--require", paramLabel = "EXPR", description = "METRIC OP NUMBER, e.g. 'accuracy>=0.9'.")
    private List<String> require = new ArrayList<>();

    @Option(names = "--no-regress", paramLabel = "METRIC[:TOL]", description = "No worse than --against (or --for) REF.")
    private List<String> noRegress = new ArrayList<>();

    @Option(names = "--against", paramLabel = "REF", description = "What --no-regress compares with.")
    private String against;

    @Option(names = "--for", paramLabel = "BRANCH", description = "Also apply BRANCH's configured promotion gates.")
    private String forBranch;

    CheckCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        try (MlvRepository repo = MlvRepository.open(context.directory(), context.session())) {
            Check.Result r = new Check(repo).setRequire(require).setNoRegress(noRegress).setAgainst(against)
                    .setFor(forBranch).call(ref);
            if (context.json()) {
                context.printJson(r);
            } else {
                GateTable.print(context.out(), r.gates(), ref, r.against() == null ? "-" : r.against());
                context.out().println(r.passed() ? "gates passed" : "gates FAILED");
            }
            return r.passed() ? ExitCodes.OK : ExitCodes.GATE_FAILED;
        }
    }
}
