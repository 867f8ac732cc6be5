package dev.mlv.cli;

import dev.mlv.core.gitinterop.LfsAgent;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mlv lfs-agent}: started by git-lfs, never by people. */
@Command(
        name = "lfs-agent",
        hidden = true,
        description = {
            "Serve git-lfs's custom transfer protocol on stdin/stdout: git-lfs starts it (lfs.customtransfer.mlv, written"
                    + " by 'mlv install --lfs-agent') to move a Git LFS repository's objects to and from the chunked store"
                    + " remote that .mlv/config.json names, deduplicated.",
            "Not for use at a terminal. stdout is the protocol channel; messages go to stderr.",
        },
        footer = {"", "Configured by:", "  mlv install --lfs-agent            # this repository",
            "  mlv install --global --lfs-agent   # the agent for every repository (clone with -c lfs.standalonetransferagent=mlv)",
            "", "See docs/git-interop.md."})
final class LfsAgentCommand implements Callable<Integer> {
    private final CliContext context;

    @Option(names = "--store", paramLabel = "NAME",
            description = "The store remote in .mlv/config.json (default: origin, else the only one).")
    private String store;

    LfsAgentCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        CliEnvironment env = context.environment();
        try (ProtocolStdout stdout = new ProtocolStdout(env)) {
            new LfsAgent(context.session())
                    .setDirectory(context.directory())
                    .setStore(store)
                    .setChannel(env.in(), stdout.channel(), env.err())
                    .call();
            return ExitCodes.OK;
        }
    }
}
