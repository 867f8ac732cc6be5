package dev.mlv.cli;

import dev.mlv.core.gitinterop.GitConfigScope;
import dev.mlv.core.gitinterop.Install;
import dev.mlv.core.MlvException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mlv install [--local|--global]}. */
@Command(
        name = "install",
        description = {
            "Configure plain git to store and restore large files through mlv (the 'mlv' filter driver):"
                    + " git add, checkout, status and diff then work on an mlv repository as mlv's own commands do.",
            "Writes filter.mlv.process (this mlv's launcher, as an absolute path, with 'filter-process') and"
                    + " filter.mlv.required=true. 'mlv init' does this for its repository. Running it again changes nothing.",
        },
        footer = {
            "",
            "Examples:",
            "  mlv install            # this repository (.git/config)",
            "  mlv install --global   # every repository of this user (~/.gitconfig)",
            "  mlv install --lfs-agent   # this Git LFS repository's objects through mlv's chunk store",
            "",
            "See docs/git-interop.md.",
        })
final class InstallCommand implements Callable<Integer> {
    private final CliContext context;

    @Option(names = "--local", description = "This repository, in .git/config (default).")
    private boolean local;

    @Option(names = "--global", description = "Every repository of this user, in ~/.gitconfig.")
    private boolean global;

    @Option(names = "--launcher", paramLabel = "PATH",
            description = "The mlv executable git should run (default: this mlv's launcher script, else 'mlv' on PATH).")
    private String launcher;

    @Option(names = "--lfs-agent",
            description = "Also register 'mlv lfs-agent' as git-lfs's custom transfer agent 'mlv' (lfs.customtransfer.mlv.*);"
                    + " with --local also lfs.standalonetransferagent=mlv, so this Git LFS repository's objects go to and"
                    + " come from the chunked store remote in .mlv/config.json.")
    private boolean lfsAgent;

    @Option(names = "--store", paramLabel = "NAME",
            description = "With --lfs-agent: the store remote the agent uses (default: origin, else the only one).")
    private String store;

    InstallCommand(CliContext context) {
        this.context = context;
    }

    /** The scope of {@code --local} (the default) or {@code --global}; both at once is a usage error. */
    static GitConfigScope scope(boolean local, boolean global) throws MlvException {
        if (local && global) {
            throw MlvException.usage("--local and --global exclude each other; give one");
        }
        return global ? GitConfigScope.GLOBAL : GitConfigScope.LOCAL;
    }

    @Override
    public Integer call() throws Exception {
        Install.Result r = new Install(context.session())
                .setDirectory(context.directory())
                .setScope(scope(local, global))
                .setLauncher(Launcher.resolve(launcher))
                .setLfsAgent(lfsAgent, store)
                .call();
        r.warnings().forEach(context::warn);
        if (context.json()) {
            context.printJson(r);
        } else if (r.changed().isEmpty()) {
            context.info("mlv's filter is already configured in " + r.configFile() + "; nothing changed");
        } else {
            context.info("Configured mlv's filter for git in " + r.configFile() + " (" + r.scope() + ")");
            context.info("  filter.mlv.process = " + r.command());
            context.info("  filter.mlv.required = true");
            if (lfsAgent) {
                r.changed().stream().filter(k -> k.startsWith("lfs.")).forEach(k -> context.info("  " + k));
            }
        }
        return ExitCodes.OK;
    }
}
