package dev.mlv.cli;

import dev.mlv.core.remote.GitRemotes;
import dev.mlv.core.MlvRepository;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code mlv remote add NAME URL}. */
@Command(name = "add", description = "Add a Git remote.",
        footer = {"", "Examples:", "  mlv remote add origin git@github.com:team/model.git", "  mlv remote add backup /srv/git/model.git"})
final class RemoteAddCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(index = "0", paramLabel = "NAME")
    private String name;

    @Parameters(index = "1", paramLabel = "URL")
    private String url;

    RemoteAddCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        try (MlvRepository repo = MlvRepository.open(context.directory(), context.session())) {
            GitRemotes.Remote r = new GitRemotes(repo).add(name, url);
            if (context.json()) {
                context.printJson(r);
            } else {
                context.info("added Git remote '" + r.name() + "' " + url);
            }
            return ExitCodes.OK;
        }
    }
}
