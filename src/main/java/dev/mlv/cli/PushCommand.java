package dev.mlv.cli;

import dev.mlv.core.MlvRepository;
import dev.mlv.core.remote.Push;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mlv push [REMOTE] [BRANCH...|--all] [--dry-run]}. */
@Command(
        name = "push",
        description = {
            "Upload the large files of the pushed commits that the store remote lacks (only missing chunks, packed),"
                    + " then push the branches and their promotion tags to the Git remote, with the A/B tests"
                    + " (refs/mlv/ab/*) whose arms' pinned commits the remote will then have.",
            "Content first, refs second: if the upload fails, no ref is pushed (exit 7 when a remote is unreachable);"
                    + " running again sends only what did not arrive.",
        },
        footer = {"", "Examples:", "  mlv push", "  mlv push origin dev prod", "  mlv push --all --dry-run --json"})
final class PushCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(index = "0", arity = "0..1", paramLabel = "REMOTE", description = "The Git remote (default: origin).")
    private String remote;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "BRANCH", description = "Branches to push (default: the current one).")
    private List<String> branches = new ArrayList<>();

    @Option(names = "--all", description = "Push every local branch.")
    private boolean all;

    @Option(names = "--dry-run", description = "Show what would be sent; change nothing.")
    private boolean dryRun;

    @Option(names = "--store", paramLabel = "NAME", description = "The store remote (default: the one named like REMOTE, else origin).")
    private String store;

    PushCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        try (MlvRepository repo = MlvRepository.open(context.directory(), context.session());
             Progress progress = Progress.bytes(context, "push", 0)
                     .onInterrupt("branches and tags go only after all content, so none moved unless the upload had finished;"
                             + " the content uploaded so far is kept and not sent again")) {
            Push.Result r = new Push(repo).setRemote(remote).setBranches(branches).setAll(all).setDryRun(dryRun)
                    .setStoreRemote(store).setProgress(progress).call();
            progress.close();
            for (Push.HeldBack h : r.heldBack()) {
                context.warn("A/B test " + h.test() + " was not pushed: " + h.reason());
            }
            if (context.json()) {
                context.printJson(r);
                return ExitCodes.OK;
            }
            String prefix = r.dryRun() ? "would push" : "pushed";
            context.info(TransferText.describe(r.dryRun() ? "would send" : "sent", r.content())
                    + (r.storeRemote() == null ? "" : " (store remote '" + r.storeRemote() + "')"));
            for (Push.RefUpdate u : r.refs()) {
                context.info(prefix + " " + u.ref() + " -> " + r.remote() + ": " + u.status().toLowerCase().replace('_', ' ')
                        + (u.newId() == null ? "" : " (" + u.newId().substring(0, 12) + ")"));
            }
            return ExitCodes.OK;
        }
    }
}
