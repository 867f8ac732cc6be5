package dev.mlv.cli;

import dev.mlv.core.workspace.LsFiles;
import dev.mlv.core.MlvRepository;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code mlv ls-files [REF]}. */
@Command(
        name = "ls-files",
        description = "List the large files of a commit (default HEAD): path, size, oid, and whether the local store has them.",
        footer = {"", "Examples:", "  mlv ls-files", "  mlv ls-files prod --json"})
final class LsFilesCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(paramLabel = "REF", arity = "0..1", description = "Branch, tag or commit (default HEAD).")
    private String ref = "HEAD";

    LsFilesCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        try (MlvRepository repo = MlvRepository.open(context.directory(), context.session())) {
            LsFiles.Result r = new LsFiles(repo).call(ref);
            if (context.json()) {
                context.printJson(r);
            } else {
                r.files().forEach(f -> context.out().printf("%s %10s %s %s%n", f.oid().substring(0, 12),
                        Sizes.human(f.size()), f.present() ? "*" : "-", f.path()));
            }
            return ExitCodes.OK;
        }
    }
}
