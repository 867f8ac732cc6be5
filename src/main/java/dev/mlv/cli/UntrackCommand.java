package dev.mlv.cli;

import dev.mlv.core.MlvRepository;
import dev.mlv.core.workspace.Track;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code mlv untrack PATTERN...}. */
@Command(
        name = "untrack",
        description = {
            "Stop storing files matching PATTERN in the chunk store (removes its line from .gitattributes).",
            "Files already committed stay pointers until they are next committed.",
        },
        footer = {"", "Examples:", "  mlv untrack '*.bin'"})
final class UntrackCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(paramLabel = "PATTERN", arity = "1..*", description = "Patterns as listed by 'mlv track'.")
    private List<String> patterns;

    UntrackCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        try (MlvRepository repo = MlvRepository.open(context.directory(), context.session())) {
            Track.Result r = new Track(repo).remove(patterns);
            TrackCommand.render(context, r, "untracked", "was not tracked");
            return ExitCodes.OK;
        }
    }
}
