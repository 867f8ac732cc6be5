package dev.mlv.cli;

import dev.mlv.core.MlvRepository;
import dev.mlv.core.workspace.Track;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code mlv track [PATTERN...]}. */
@Command(
        name = "track",
        description = {
            "Store files matching PATTERN in the chunk store (a filter=mlv line in .gitattributes).",
            "Without a pattern, list the tracked patterns.",
        },
        footer = {"", "Examples:", "  mlv track '*.gguf' 'checkpoints/**'", "  mlv track            # list"})
final class TrackCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(paramLabel = "PATTERN", arity = "0..*", description = "Git attribute patterns, e.g. '*.pt' or 'models/**'.")
    private List<String> patterns = List.of();

    TrackCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        try (MlvRepository repo = MlvRepository.open(context.directory(), context.session())) {
            Track track = new Track(repo);
            Track.Result r = patterns.isEmpty() ? track.list() : track.add(patterns);
            render(context, r, "tracking", "already tracked");
            return ExitCodes.OK;
        }
    }

    static void render(CliContext context, Track.Result r, String changedVerb, String unchangedNote) {
        if (context.json()) {
            context.printJson(r);
            return;
        }
        if (r.changed().isEmpty() && r.unchanged().isEmpty()) {
            r.patterns().forEach(p -> context.out().println(p));
            return;
        }
        r.changed().forEach(p -> context.info(changedVerb + " " + p));
        r.unchanged().forEach(p -> context.info(p + ": " + unchangedNote));
    }
}
