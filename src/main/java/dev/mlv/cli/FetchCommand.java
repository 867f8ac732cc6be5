package dev.mlv.cli;

import dev.mlv.core.remote.Fetch;
import dev.mlv.core.MlvRepository;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mlv fetch [REMOTE] [--all] [--content]}. */
@Command(
        name = "fetch",
        description = {
            "Fetch branches and promotion tags from a Git remote into remote-tracking refs.",
            "Large files are fetched lazily, by the commands that need them (switch, cat, pull);"
                    + " --content downloads those of the fetched branch tips now.",
        },
        footer = {"", "Examples:", "  mlv fetch", "  mlv fetch --all --content"})
final class FetchCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(arity = "0..1", paramLabel = "REMOTE", description = "The Git remote (default: origin).")
    private String remote;

    @Option(names = "--all", description = "Fetch from every Git remote.")
    private boolean all;

    @Option(names = "--content", description = "Also download the large files of the fetched branch tips.")
    private boolean content;

    FetchCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        try (MlvRepository repo = MlvRepository.open(context.directory(), context.session());
             Progress progress = Progress.bytes(context, "fetch", 0)) {
            Fetch.Result r = new Fetch(repo).setRemote(remote).setAll(all).setContent(content).setProgress(progress).call();
            progress.done();
            if (context.json()) {
                context.printJson(r);
                return ExitCodes.OK;
            }
            if (r.updates().isEmpty()) {
                context.info("already up to date with " + String.join(", ", r.remotes()));
            }
            for (Fetch.Update u : r.updates()) {
                context.info(u.ref() + ": " + (u.oldId() == null ? "new" : u.oldId().substring(0, 12) + "..")
                        + (u.newId() == null ? " deleted" : u.newId().substring(0, 12)));
            }
            if (content) {
                context.info(TransferText.describe("received", r.content()));
            }
            return ExitCodes.OK;
        }
    }
}
