package dev.mlv.cli;

import dev.mlv.core.experiment.ExperimentNew;
import dev.mlv.core.MlvRepository;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mlv exp new NAME [--from REF]}. */
@Command(
        name = "new",
        description = {
            "Start an experiment: create branch NAME at HEAD (or at REF) and switch to it.",
            "From HEAD, uncommitted changes carry over. From another commit the work tree is switched (large files"
                    + " restored from the store); refused, exit 4, while uncommitted changes would be lost.",
            "An existing branch NAME is refused with exit 2.",
        },
        footer = {
            "",
            "Examples:",
            "  mlv exp new lr-3e-4",
            "  mlv exp new more-data --from prod",
        })
final class ExpNewCommand implements Callable<Integer> {

    private final CliContext context;

    @Parameters(paramLabel = "NAME", description = "The new branch's name, e.g. lr-3e-4 or exp/feature-x.")
    private String name;

    @Option(names = "--from", paramLabel = "REF", description = "Start from this branch, tag or commit (default: HEAD).")
    private String from;

    ExpNewCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        try (MlvRepository repo = MlvRepository.open(context.directory(), context.session())) {
            ExperimentNew.Result r = new ExperimentNew(repo).setName(name).setFrom(from).call();
            if (context.json()) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("branch", r.branch());
                doc.put("commit", r.commit());
                doc.put("from", r.from());
                doc.put("previousBranch", r.previousBranch());
                doc.put("workTreeChanged", r.workTreeChanged());
                doc.put("data", r.data());
                context.printJson(doc);
            } else {
                context.info("switched to a new experiment branch '" + r.branch() + "' at " + r.shortCommit()
                        + " (from " + r.from() + ")");
                if (r.data() != null) {
                    context.info(r.data().to() == null
                            ? "data (" + r.data().path() + "/) removed: '" + r.from() + "' pins no data"
                            : "data (" + r.data().path() + "/) moved to " + r.data().to().substring(0, 12)
                                    + ", the commit '" + r.from() + "' pins");
                }
            }
            return ExitCodes.OK;
        }
    }
}
