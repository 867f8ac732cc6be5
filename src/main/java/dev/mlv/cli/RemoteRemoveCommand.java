package dev.mlv.cli;

import dev.mlv.core.remote.GitRemotes;
import dev.mlv.core.MlvRepository;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code mlv remote remove NAME}. */
@Command(name = "remove", aliases = "rm", description = "Remove a Git remote and its remote-tracking refs.")
final class RemoteRemoveCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(paramLabel = "NAME")
    private String name;

    RemoteRemoveCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        try (MlvRepository repo = MlvRepository.open(context.directory(), context.session())) {
            GitRemotes.Remote r = new GitRemotes(repo).remove(name);
            if (context.json()) {
                context.printJson(r);
            } else {
                context.info("removed Git remote '" + r.name() + "'");
            }
            return ExitCodes.OK;
        }
    }
}
