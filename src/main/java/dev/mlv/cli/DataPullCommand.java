package dev.mlv.cli;

import dev.mlv.core.data.DataPull;
import dev.mlv.core.MlvRepository;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mlv data pull [PATH] [--rev REV]}. */
@Command(
        name = "pull",
        description = {
            "Fetch the data repository, move the data submodule to the tip of its branch (or to REV) with its large"
                    + " files materialised, and stage the new data commit for the next train-commit.",
            "Refuses, changing nothing, when the data work tree has uncommitted changes.",
        },
        footer = {"", "Examples:", "  mlv data pull", "  mlv data pull --rev v2024-06"})
final class DataPullCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(paramLabel = "PATH", arity = "0..1", description = "The data submodule's path (default: the data submodule).")
    private String path;

    @Option(names = "--rev", paramLabel = "REV", description = "A branch, tag or commit of the data repository.")
    private String rev;

    DataPullCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        try (MlvRepository repo = MlvRepository.open(context.directory(), context.session())) {
            DataPull.Result r = new DataPull(repo).setPath(path).setRev(rev).call();
            if (context.json()) {
                context.printJson(r);
            } else if (!r.changed()) {
                context.info("Data (" + r.path() + ") already at " + r.to().substring(0, 12));
            } else {
                context.info("Data (" + r.path() + "): " + (r.from() == null ? "checked out" : r.from().substring(0, 12) + " ->")
                        + " " + r.to().substring(0, 12) + (r.commits() > 0 ? " (" + r.commits() + " new commit(s))" : "")
                        + ", " + r.largeFiles() + " large file(s)");
                context.note("staged " + r.path() + "; record it with 'mlv train-commit'");
            }
            return ExitCodes.OK;
        }
    }
}
