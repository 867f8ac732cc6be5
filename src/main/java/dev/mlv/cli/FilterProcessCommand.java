package dev.mlv.cli;

import dev.mlv.core.gitinterop.GitFilterProcess;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
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
        PrintStream stdout = env.out();
        boolean processStdout = stdout == System.out;
        // stdout belongs to the protocol: write to the file descriptor itself (a PrintStream would
        // hide a broken pipe), and send whatever else would print there (a library's println) to stderr.
        OutputStream toGit = processStdout ? new FileOutputStream(FileDescriptor.out) : stdout;
        if (processStdout) {
            System.setOut(env.err());
        }
        try {
            new GitFilterProcess(context.session())
                    .setDirectory(context.directory())
                    .setChannel(env.in(), toGit, env.err())
                    .call();
            return ExitCodes.OK;
        } finally {
            if (processStdout) {
                System.setOut(stdout);
            }
        }
    }
}
