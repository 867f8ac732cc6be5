package dev.mlv.cli;

import dev.mlv.core.data.DataPull;
import dev.mlv.core.MlvRepository;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mlv data pull [PATH] [--latest | --rev REV]}. */
@Command(
        name = "pull",
        description = {
            "Check the data submodule out at the data commit this branch pins, with its large files materialised"
                    + " (cloning it, or bringing its work tree back from .git/modules/data, when needed), as"
                    + " 'git submodule update --init' does.",
            "--latest fetches and moves to the tip of the data repository's branch, --rev to a branch, tag or"
                    + " commit; the new data commit is staged for the next train-commit.",
            "Refuses, changing nothing, when the data work tree has uncommitted changes.",
        },
        footer = {"", "Examples:", "  mlv data pull", "  mlv data pull --latest", "  mlv data pull --rev v2024-06"})
final class DataPullCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(paramLabel = "PATH", arity = "0..1", description = "The data submodule's path (default: the data submodule).")
    private String path;

    @Option(names = "--rev", paramLabel = "REV", description = "Move to a branch, tag or commit of the data repository.")
    private String rev;

    @Option(names = "--latest", description = "Fetch and move to the tip of the data repository's tracked branch.")
    private boolean latest;

    DataPullCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        try (MlvRepository repo = MlvRepository.open(context.directory(), context.session())) {
            DataPull.Result r = new DataPull(repo).setPath(path).setRev(rev).setLatest(latest).call();
            if (context.json()) {
                context.printJson(r);
            } else if (!r.changed()) {
                context.info("Data (" + r.path() + ") already at " + r.to().substring(0, 12));
            } else {
                context.info("Data (" + r.path() + "): " + (r.from() == null ? "checked out" : r.from().substring(0, 12) + " ->")
                        + " " + r.to().substring(0, 12) + (r.commits() > 0 ? " (" + r.commits() + " new commit(s))" : "")
                        + ", " + r.largeFiles() + " large file(s)");
                if (r.staged()) {
                    context.note("staged " + r.path() + "; record it with 'mlv train-commit'");
                }
            }
            return ExitCodes.OK;
        }
    }
}
