package dev.mlv.cli;

import dev.mlv.core.MlvRepository;
import dev.mlv.core.serving.Record;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mlv record BRANCH FILE}. */
@Command(
        name = "record",
        description = {
            "Commit monitoring data or logs to a branch without checking it out (for serving processes).",
            "--append-to adds CSV rows (the header is kept once; a different header is refused); --put replaces"
                    + " a file (default: monitoring/<FILE's name>). Concurrent writers retry, so no row is lost.",
        },
        footer = {
            "",
            "Examples:",
            "  mlv record prod batch-0412.csv --append-to monitoring/predictions.csv",
            "  mlv record prod drift.json --put monitoring/drift.json -m 'drift for 2026-04-12'",
        })
final class RecordCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(index = "0", paramLabel = "BRANCH", description = "The branch to write to (not checked out here).")
    private String branch;

    @Parameters(index = "1", paramLabel = "FILE", description = "The local file to record.")
    private Path file;

    /** Exactly one way of writing. */
    static final class Mode {
        @Option(names = "--append-to", paramLabel = "PATH", description = "Append FILE's CSV rows to PATH on the branch.")
        String appendTo;

        @Option(names = "--put", paramLabel = "PATH", description = "Write FILE as PATH on the branch.")
        String put;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    private Mode mode;

    @Option(names = {"-m", "--message"}, paramLabel = "MSG", description = "The commit message.")
    private String message;

    RecordCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        try (MlvRepository repo = MlvRepository.open(context.directory(), context.session())) {
            Record record = new Record(repo).setMessage(message);
            if (mode != null && mode.appendTo != null) {
                record.setAppendTo(mode.appendTo);
            } else if (mode != null && mode.put != null) {
                record.setPut(mode.put);
            }
            Path source = context.directory().resolve(file);
            Record.Result r = record.call(branch, source);
            if (context.json()) {
                context.printJson(r);
            } else {
                context.info((r.appended() ? "Appended " : "Recorded ") + file + " to " + r.branch() + ":" + r.path()
                        + " (" + Sizes.human(r.bytes()) + (r.large() ? ", stored" : "") + "), commit " + r.commit().substring(0, 12));
            }
            return ExitCodes.OK;
        }
    }
}
