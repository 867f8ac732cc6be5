package dev.mlv.cli;

import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.experiment.Retrain;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mlv retrain BASE NAME}. */
@Command(
        name = "retrain",
        description = {
            "Start experiment branch NAME from BASE with newer data: pull the data (the tip of its branch, or"
                    + " --data-rev), re-run BASE's recorded training command (or the one after --run --), and"
                    + " train-commit the result as \"Retrain BASE with data <commit>\".",
            "Refuses, changing nothing, when the work tree or the data work tree has uncommitted changes.",
        },
        footer = {"", "Examples:", "  mlv retrain prod retrain/2024-06", "  mlv retrain dev exp/more-data --data-rev v2",
            "  mlv retrain dev exp/x --run -- python src/train.py --epochs 20"})
final class RetrainCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(index = "0", paramLabel = "BASE", description = "The experiment to start from.")
    private String base;

    @Parameters(index = "1", paramLabel = "NAME", description = "The new branch.")
    private String name;

    @Option(names = "--data-rev", paramLabel = "REV", description = "A branch, tag or commit of the data repository.")
    private String dataRev;

    @Option(names = "--run", description = "Run the command given after '--' instead of BASE's recorded one.")
    private boolean run;

    @Parameters(index = "2..*", paramLabel = "CMD", arity = "0..*", description = "With --run: the command, after '--'.")
    private List<String> command = List.of();

    RetrainCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        if (run != !command.isEmpty()) {
            throw MlvException.usage(run ? "--run needs a command after '--', e.g. --run -- python train.py"
                    : "unexpected arguments " + command + "; to give the training command use --run -- CMD ARGS...");
        }
        try (MlvRepository repo = MlvRepository.open(context.directory(), context.session())) {
            Retrain.Result r = new Retrain(repo).setDataRev(dataRev).setCommand(command)
                    .setRunOutput(context.environment().err()).call(base, name);
            if (context.json()) {
                context.printJson(r);
            } else {
                var c = r.commit();
                context.info("[" + r.branch() + " " + c.commit().substring(0, 12) + "] retrained " + r.base() + " with data "
                        + r.dataFrom().substring(0, 12) + " -> " + r.dataTo().substring(0, 12));
                if (!c.metrics().isEmpty()) {
                    StringBuilder m = new StringBuilder("metrics:");
                    c.metrics().forEach((k, v) -> m.append(' ').append(k).append('=').append(v.shown()));
                    context.info(m.toString());
                }
                context.note("compare with 'mlv log', promote with 'mlv promote " + r.branch() + " DST'");
            }
            return ExitCodes.OK;
        }
    }
}
