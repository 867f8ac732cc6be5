package dev.mlv.cli;

import dev.mlv.core.remote.Clone;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mlv clone URL [DIR] [--branch B]}. */
@Command(
        name = "clone",
        description = {
            "Clone an mlv repository: fetch it over any Git transport, download the checked-out branch's large files"
                    + " from the store remote named in its .mlv/config.json, set mlv up (as 'mlv init'), and check out.",
            "Other branches' content is fetched lazily when you switch to them. On failure the new directory is removed.",
        },
        footer = {"", "Examples:", "  mlv clone git@github.com:team/churn-model.git",
            "  mlv clone /srv/git/model.git work --branch prod"})
final class CloneCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(index = "0", paramLabel = "URL", description = "The Git repository: URL or path.")
    private String url;

    @Parameters(index = "1", arity = "0..1", paramLabel = "DIR", description = "Where to clone (default: the URL's last name).")
    private Path dir;

    @Option(names = {"-b", "--branch"}, paramLabel = "B", description = "The branch to check out (default: the remote's HEAD).")
    private String branch;

    CloneCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        Path target = context.directory().resolve(dir == null ? Path.of(Clone.defaultDirectory(url)) : dir);
        try (Progress progress = Progress.bytes(context, "clone", 0)
                .onInterrupt(target + " is an incomplete clone; remove it and clone again")) {
            Clone.Result r = new Clone(context.session()).setUrl(localPathOrUrl(url)).setDirectory(target).setBranch(branch)
                    .setLauncher(Launcher.resolve(null)).setProgress(progress).call();
            progress.close();
            if (context.json()) {
                context.printJson(r);
                return ExitCodes.OK;
            }
            context.info("cloned " + r.url() + " into " + r.directory() + " (branch " + r.branch() + " at "
                    + r.commit().substring(0, 12) + ")");
            context.info(TransferText.describe("received", r.content())
                    + (r.storeRemote() == null ? "" : " (store remote '" + r.storeRemote() + "')"));
            return ExitCodes.OK;
        }
    }

    /** A relative path to a local repository means relative to where mlv runs (-C), like git clone. */
    private String localPathOrUrl(String given) {
        if (given.contains("://") || given.matches("^[^/]+@[^/]+:.*")) {
            return given;
        }
        java.nio.file.Path local = context.directory().resolve(given);
        return java.nio.file.Files.exists(local) ? local.toAbsolutePath().normalize().toString() : given;
    }
}
