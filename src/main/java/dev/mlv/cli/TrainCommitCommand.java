package dev.mlv.cli;

import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.workspace.TrainCommit;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mlv train-commit}. */
@Command(
        name = "train-commit",
        description = {
            "Commit the experiment as one unit: code, models, metrics, logs and monitoring files.",
            "Stages every change (like 'git add -A', honouring .gitignore); large files go to the store and Git"
                    + " keeps pointers. metrics/*.json must be valid JSON. With --run, mlv runs the training command"
                    + " first: its output goes to the terminal and logs/train.log, and logs/run.json records the run.",
        },
        footer = {
            "",
            "Examples:",
            "  mlv train-commit -m 'baseline, lr=3e-4'",
            "  mlv train-commit -m 'more data' --run -- python src/train.py --epochs 10",
            "  mlv train-commit --branch exp/feature-x -m 'try feature x'",
        })
final class TrainCommitCommand implements Callable<Integer> {
    private final CliContext context;

    @Option(names = {"-m", "--message"}, paramLabel = "MSG", description = "The commit message.")
    private String message;

    @Option(names = "--run", description = "Run the command given after '--' first, and record it.")
    private boolean run;

    @Option(names = "--keep-failed", description = "Commit even if the --run command fails (marked in a trailer).")
    private boolean keepFailed;

    @Option(names = "--allow-empty", description = "Commit even when nothing changed.")
    private boolean allowEmpty;

    @Option(names = "--branch", paramLabel = "NAME", description = "Commit on branch NAME (created here if missing).")
    private String branch;

    @Parameters(paramLabel = "CMD", arity = "0..*", description = "With --run: the training command and its arguments, after '--'.")
    private List<String> command = List.of();

    TrainCommitCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        if (run && command.isEmpty()) {
            throw MlvException.usage("--run needs a command after '--', e.g. mlv train-commit --run -- python train.py");
        }
        if (!run && !command.isEmpty()) {
            throw MlvException.usage("unexpected arguments " + command + "; to run a training command use --run -- CMD ARGS...");
        }
        try (MlvRepository repo = MlvRepository.open(context.directory(), context.session());
             Progress progress = Progress.bytes(context, "storing", 0)
                     .onInterrupt("nothing was committed; what was stored is kept for the next train-commit"
                             + " (or removed by 'mlv gc')")) {
            OutputStream echo = context.environment().err();
            TrainCommit.Result r = new TrainCommit(repo)
                    .setProgress(progress)
                    .setMessage(message)
                    .setAllowEmpty(allowEmpty)
                    .setBranch(branch)
                    .setRunCommand(command)
                    .setKeepFailed(keepFailed)
                    .setRunOutput(echo)
                    .call();
            progress.close();
            render(r);
            return ExitCodes.OK;
        }
    }

    private void render(TrainCommit.Result r) {
        if (context.json()) {
            context.printJson(r);
            return;
        }
        context.info(String.format(Locale.ROOT, "[%s %s] %s changed", r.branch(), r.commit().substring(0, 12),
                Sizes.count(r.files().size(), "file")));
        for (var f : r.files()) {
            context.info(String.format(Locale.ROOT, "  %-8s %s%s", f.type(), f.path(),
                    !f.large() ? "" : "deleted".equals(f.type()) ? "  (" + Sizes.human(f.size()) + ")"
                            : "  (" + Sizes.human(f.size()) + ", stored)"));
        }
        if (r.largeFiles() > 0) {
            context.info(String.format(Locale.ROOT, "large files: %d, %s; store: %s new, %s reused",
                    r.largeFiles(), Sizes.human(r.largeBytes()), Sizes.human(r.largeNewBytes()), Sizes.human(r.largeReusedBytes())));
        }
        if (!r.metrics().isEmpty()) {
            StringBuilder m = new StringBuilder("metrics:");
            r.metrics().forEach((k, v) -> m.append(' ').append(k).append('=').append(v.shown()));
            context.info(m.toString());
        }
        if (r.run() != null) {
            context.info(String.format(Locale.ROOT, "run: %s (exit %d, %.1f s)%s", String.join(" ", r.run().command()),
                    r.run().exitCode(), r.run().durationSeconds(), r.runFailed() ? " FAILED, kept" : ""));
        }
    }
}
