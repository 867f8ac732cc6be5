package dev.mlv.cli;

import dev.mlv.core.MlvRepository;
import dev.mlv.core.remote.Pull;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code mlv pull [REMOTE] [BRANCH]}. */
@Command(
        name = "pull",
        description = {
            "Fetch, fast-forward the checked-out branch to the remote's branch, and materialise its large files"
                    + " (only the chunks missing locally are downloaded, before the branch moves).",
            "Refuses when the branches have diverged or files Git does not track are in the way (exit 4),"
                    + " or the work tree has uncommitted changes.",
        },
        footer = {"", "Examples:", "  mlv pull", "  mlv pull origin dev"})
final class PullCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(index = "0", arity = "0..1", paramLabel = "REMOTE", description = "The Git remote (default: the branch's upstream, else origin).")
    private String remote;

    @Parameters(index = "1", arity = "0..1", paramLabel = "BRANCH", description = "The remote's branch (default: the upstream, else the same name).")
    private String branch;

    PullCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        try (MlvRepository repo = MlvRepository.open(context.directory(), context.session());
             Progress progress = Progress.bytes(context, "pull", 0)) {
            Pull.Result r = new Pull(repo).setRemote(remote).setBranch(branch).setLauncher(Launcher.resolve(null))
                    .setProgress(progress).call();
            progress.done();
            if (context.json()) {
                context.printJson(r);
                return ExitCodes.OK;
            }
            if (!r.filterConfigured().isEmpty()) {
                context.note("configured mlv's filter for git in .git/config (" + String.join(", ", r.filterConfigured())
                        + "), so plain git sees the real files as unchanged");
            }
            String theirs = r.remote() + "/" + r.remoteBranch();
            switch (r.state()) {
                case "up-to-date" -> context.info("'" + r.branch() + "' is up to date with " + theirs
                        + (r.filesUpdated() > 0 ? "; wrote the content of " + r.filesUpdated() + " pointer file(s)" : ""));
                case "ahead" -> context.info("'" + r.branch() + "' is ahead of " + theirs + "; push it with 'mlv push'");
                default -> {
                    context.info("fast-forwarded '" + r.branch() + "' " + r.oldCommit().substring(0, 12) + ".."
                            + r.newCommit().substring(0, 12) + " from " + theirs + ": " + Sizes.count(r.filesUpdated(), "file") + " updated");
                    context.info(TransferText.describe("received", r.content()));
                }
            }
            return ExitCodes.OK;
        }
    }
}
