package dev.mlv.cli;

import picocli.CommandLine.Command;

/** {@code mlv remote add|list|remove}: the Git remotes. */
@Command(
        name = "remote",
        description = {
            "Manage Git remotes (ordinary Git remotes in .git/config, over any transport JGit supports).",
            "Where the large files go is a store remote: see 'mlv store remote'.",
        },
        subcommands = {RemoteAddCommand.class, RemoteListCommand.class, RemoteRemoveCommand.class})
final class RemoteCommand {
}
