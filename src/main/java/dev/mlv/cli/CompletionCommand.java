package dev.mlv.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Prints a shell completion script for bash or zsh. */
@Command(
        name = "completion",
        description = "Print a shell completion script.",
        footer = {
            "",
            "Examples:",
            "  source <(mlv completion bash)          # bash, this shell",
            "  mlv completion zsh > ~/.zfunc/_mlv     # zsh",
        })
final class CompletionCommand implements Callable<Integer> {
    /** The shells a script can be made for. */
    enum Shell { bash, zsh }

    private final CliContext context;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "SHELL", description = "bash or zsh")
    private Shell shell;

    CompletionCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        String script = AutoComplete.bash("mlv", spec.root().commandLine());
        if (shell == Shell.zsh) {
            // picocli's script is written for bash; zsh runs it through its bash compatibility layer.
            context.out().println("autoload -U +X compinit && compinit");
            context.out().println("autoload -U +X bashcompinit && bashcompinit");
        }
        context.out().print(script);
        context.out().flush();
        return ExitCodes.OK;
    }
}
