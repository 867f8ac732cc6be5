package dev.mlv.cli;

import dev.mlv.core.workspace.Log;
import dev.mlv.core.MlvRepository;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mlv log [REF] [-n N]}. */
@Command(
        name = "log",
        description = "Show commits with the metrics and runs recorded in their Mlv-* trailers.",
        footer = {"", "Examples:", "  mlv log", "  mlv log prod -n 5 --json"})
final class LogCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(paramLabel = "REF", arity = "0..1", description = "Where to start (default HEAD).")
    private String ref = "HEAD";

    @Option(names = {"-n", "--max-count"}, paramLabel = "N", description = "Show at most N commits (default 20).")
    private int limit = 20;

    LogCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        try (MlvRepository repo = MlvRepository.open(context.directory(), context.session())) {
            Log.Result r = new Log(repo).setLimit(limit).call(ref);
            if (context.json()) {
                context.printJson(r);
                return ExitCodes.OK;
            }
            for (Log.Entry e : r.commits()) {
                StringBuilder line = new StringBuilder();
                line.append(e.commit(), 0, 12).append(' ').append(e.date(), 0, 10).append(' ').append(e.subject());
                context.out().println(line);
                if (!e.metrics().isEmpty()) {
                    StringBuilder m = new StringBuilder("    metrics:");
                    e.metrics().forEach((k, v) -> m.append(' ').append(k).append('=').append(v.shown()));
                    context.out().println(m);
                }
                if (e.run() != null) {
                    context.out().println("    run: " + e.run());
                }
                if (e.data() != null) {
                    context.out().println("    data: " + e.data());
                }
            }
            return ExitCodes.OK;
        }
    }
}
