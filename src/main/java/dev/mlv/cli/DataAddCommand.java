package dev.mlv.cli;

import dev.mlv.core.data.DataAdd;
import dev.mlv.core.MlvRepository;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mlv data add URL [PATH]}. */
@Command(
        name = "add",
        description = {
            "Add a data repository as the Git submodule 'data' (at PATH, default data/), checked out at the tip of"
                    + " its branch with its large files materialised, and stage it for the next train-commit.",
            "URL: https://..., ssh://..., git@host:path, file://... or a local path; other transports (ext::, ...)"
                    + " are refused (exit 2). Large-file content is copied from a local data repository's store.",
        },
        footer = {"", "Examples:", "  mlv data add ../datasets", "  mlv data add git@github.com:org/data.git --branch snapshots"})
final class DataAddCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(index = "0", paramLabel = "URL", description = "The data repository.")
    private String url;

    @Parameters(index = "1", paramLabel = "PATH", arity = "0..1", description = "Where it goes in the work tree (default: data).")
    private String path;

    @Option(names = "--branch", paramLabel = "B", description = "The data repository's branch to track (default: its HEAD).")
    private String branch;

    DataAddCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        try (MlvRepository repo = MlvRepository.open(context.directory(), context.session())) {
            DataAdd.Result r = new DataAdd(repo).setUrl(url).setPath(path).setBranch(branch)
                    .setBaseDir(context.directory()).call();
            if (context.json()) {
                context.printJson(r);
            } else {
                context.info("Added data " + r.url() + " at " + r.path() + "/ (branch " + r.branch() + ", commit "
                        + r.commit().substring(0, 12) + "): " + r.largeFiles() + " large file(s)"
                        + (r.copiedFiles() > 0 ? ", " + r.copiedFiles() + " copied from its store" : ""));
                context.note("staged .gitmodules and " + r.path() + "; record them with 'mlv train-commit'");
            }
            return ExitCodes.OK;
        }
    }
}
