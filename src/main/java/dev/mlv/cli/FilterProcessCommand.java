package dev.mlv.cli;

import dev.mlv.core.gitinterop.GitFilterProcess;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code mlv filter-process}: started by git, never by people. */
@Command(
        name = "filter-process",
        hidden = true,
        description = {
            "Serve git's long-running filter protocol on stdin/stdout: git starts it (filter.mlv.process, written by"
                    + " 'mlv install' and 'mlv init') to store large files on 'git add' and restore them on 'git checkout'.",
            "Not for use at a terminal. stdout is the protocol channel; messages go to stderr.",
        },
        footer = {"", "Configured by:", "  mlv install            # this repository", "  mlv install --global   # every repository of this user"})
final class FilterProcessCommand implements Callable<Integer> {
    private final CliContext context;

    FilterProcessCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        CliEnvironment env = context.environment();
        try (ProtocolStdout stdout = new ProtocolStdout(env)) {
            new GitFilterProcess(context.session())
                    .setDirectory(context.directory())
                    .setChannel(env.in(), stdout.channel(), env.err())
                    .call();
            return ExitCodes.OK;
        }
    }
}
