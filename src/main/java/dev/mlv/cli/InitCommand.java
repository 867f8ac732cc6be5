package dev.mlv.cli;

import dev.mlv.core.workspace.Init;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code mlv init [DIR]}. */
@Command(
        name = "init",
        description = {
            "Create an mlv repository, or adopt an existing Git repository (its history is kept).",
            "Writes .mlv/config.json and .gitattributes (large-file patterns), creates src/ models/ metrics/"
                    + " logs/ monitoring/, sets up the store in .git/mlv/store, and makes a first commit"
                    + " when the repository has none. Running it again changes nothing.",
            "Also configures plain git to filter large files through mlv in this repository (as 'mlv install' does).",
        },
        footer = {"", "Examples:", "  mlv init my-model && cd my-model", "  mlv init            # adopt the repository you are in"})
final class InitCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(paramLabel = "DIR", arity = "0..1", description = "Where to create the repository (default: here).")
    private Path dir;

    InitCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        Path target = dir == null ? context.directory() : context.directory().resolve(dir);
        Init.Result r = new Init(context.session()).setDirectory(target).setLauncher(Launcher.resolve(null)).call();
        if (context.json()) {
            context.printJson(r);
            return ExitCodes.OK;
        }
        if (r.alreadyInitialized()) {
            context.info("mlv repository already set up in " + r.workTree() + "; nothing changed");
            return ExitCodes.OK;
        }
        String what = r.createdRepository() ? "Created" : r.adoptedRepository() ? "Adopted" : "Set up";
        context.info(what + " mlv repository in " + r.workTree() + " (branch " + r.branch() + ")");
        r.changes().forEach(c -> context.info("  wrote " + c));
        if (r.commit() != null) {
            context.info("  first commit " + r.commit().substring(0, 12));
        }
        if (r.adoptedRepository()) {
            context.info("Commit mlv's files with: mlv train-commit -m 'Adopt mlv'");
        }
        return ExitCodes.OK;
    }
}
