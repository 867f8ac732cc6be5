package dev.mlv.cli;

import dev.mlv.core.remote.GitRemotes;
import dev.mlv.core.MlvRepository;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code mlv remote list}. */
@Command(name = "list", description = "List the Git remotes and their URLs.")
final class RemoteListCommand implements Callable<Integer> {
    private final CliContext context;

    RemoteListCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        try (MlvRepository repo = MlvRepository.open(context.directory(), context.session())) {
            List<GitRemotes.Remote> remotes = new GitRemotes(repo).list();
            if (context.json()) {
                context.printJson(Map.of("remotes", remotes));
            } else {
                remotes.forEach(r -> context.out().println(r.name() + "\t" + String.join(" ", r.urls())));
            }
            return ExitCodes.OK;
        }
    }
}
