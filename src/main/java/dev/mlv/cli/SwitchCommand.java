package dev.mlv.cli;

import dev.mlv.core.MlvRepository;
import dev.mlv.core.workspace.Switch;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mlv switch BRANCH}. */
@Command(
        name = "switch",
        description = {
            "Check out a branch and materialise its large files from the store (streamed and verified).",
            "Refuses, changing nothing, when there are uncommitted changes or the branch's content is missing"
                    + " from the local store (exit 5), and also when an untracked file is in the way (exit 4).",
            "Files under 8 MiB (a sharded checkpoint's shards) are written several at once before HEAD moves; a"
                    + " damaged chunk in one of them stops the switch with exit 6, changing nothing.",
            "The data submodule follows (once cloned): it moves to the data commit the branch pins (fetched if"
                    + " needed), so data/ holds the data the branch was trained on, or its work tree is removed when the"
                    + " branch pins none (.git/modules/data is kept); uncommitted changes in data/ refuse the switch.",
        },
        footer = {"", "Examples:", "  mlv switch prod", "  mlv switch --create exp/bigger-lr --from dev"})
final class SwitchCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(paramLabel = "BRANCH", description = "The branch to check out.")
    private String branch;

    @Option(names = {"-c", "--create"}, description = "Create the branch (at HEAD, or at --from).")
    private boolean create;

    @Option(names = "--from", paramLabel = "REF", description = "With --create: start the branch at REF.")
    private String from;

    SwitchCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        try (MlvRepository repo = MlvRepository.open(context.directory(), context.session());
             Progress progress = Progress.bytes(context, "switch", 0)
                     .onInterrupt("the work tree may be partly switched; run 'mlv switch " + branch + "' again to finish")) {
            Switch.Result r = new Switch(repo).setCreate(create).setFrom(from).setProgress(progress).call(branch);
            progress.close();
            if (context.json()) {
                context.printJson(r);
            } else {
                r.warnings().forEach(context::warn);
                context.info((r.created() ? "Switched to a new branch '" : "Switched to branch '") + r.branch() + "' at "
                        + r.commit().substring(0, 12) + ": " + Sizes.count(r.filesUpdated(), "file") + " updated"
                        + (r.largeFiles() > 0 ? ", " + r.largeFiles() + " large (" + Sizes.human(r.largeBytes()) + ")" : ""));
                if (r.data() != null) {
                    context.info(r.data().to() == null
                            ? "Data (" + r.data().path() + "/) removed: '" + r.branch() + "' pins no data (kept in .git/modules"
                                    + "; switching back brings it again)"
                            : "Data (" + r.data().path() + "/) moved to " + r.data().to().substring(0, 12)
                                    + ", the commit '" + r.branch() + "' pins");
                }
            }
            return ExitCodes.OK;
        }
    }
}
