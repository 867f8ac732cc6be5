package dev.mlv.cli;

import dev.mlv.core.gitinterop.Uninstall;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mlv uninstall [--local|--global]}. */
@Command(
        name = "uninstall",
        description = {
            "Remove mlv's filter driver (filter.mlv.*) from git's config: the reverse of 'mlv install'.",
            "Files already checked out stay as they are. Afterwards plain git no longer filters large files;"
                    + " with the driver gone, 'git add' would commit a large file's raw bytes, so use mlv's own commands.",
        },
        footer = {"", "Examples:", "  mlv uninstall", "  mlv uninstall --global"})
final class UninstallCommand implements Callable<Integer> {
    private final CliContext context;

    @Option(names = "--local", description = "This repository, in .git/config (default).")
    private boolean local;

    @Option(names = "--global", description = "Every repository of this user, in ~/.gitconfig.")
    private boolean global;

    UninstallCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        Uninstall.Result r = new Uninstall(context.session())
                .setDirectory(context.directory())
                .setScope(InstallCommand.scope(local, global))
                .call();
        if (context.json()) {
            context.printJson(r);
        } else if (r.removed().isEmpty()) {
            context.info("mlv's filter is not configured in " + r.configFile() + "; nothing changed");
        } else {
            context.info("Removed mlv's filter from " + r.configFile() + " (" + r.scope() + "): "
                    + String.join(", ", r.removed()));
        }
        return ExitCodes.OK;
    }
}
