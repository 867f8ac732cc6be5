package dev.mlv.cli;

import dev.mlv.core.ab.AbAssign;
import dev.mlv.core.MlvRepository;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code mlv ab assign NAME KEY}. */
@Command(
        name = "assign",
        description = {
            "Print the arm a request or user key belongs to: SHA-256 of NAME and KEY as a number in [0,1),"
                    + " split by the weights. The same key always gets the same arm, on any machine.",
        },
        footer = {"", "Examples:", "  mlv ab assign checkout-2026-04 user-18231", "  mlv ab assign checkout-2026-04 user-18231 --json"})
final class AbAssignCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(index = "0", paramLabel = "NAME", description = "The A/B test.")
    private String name;

    @Parameters(index = "1", paramLabel = "KEY", description = "A request, session or user id.")
    private String key;

    AbAssignCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        try (MlvRepository repo = MlvRepository.open(context.directory(), context.session())) {
            AbAssign.Assignment a = new AbAssign(repo).call(name, key);
            if (context.json()) {
                context.printJson(a);
            } else {
                context.out().println(a.arm());
            }
            return ExitCodes.OK;
        }
    }
}
