package dev.mlv.cli;

import picocli.CommandLine.Command;

/** {@code mlv store ...}: the chunk store's plumbing. */
@Command(
        name = "store",
        description = {
            "Work with the chunk store directly (plumbing for debugging and scripts).",
            "Inside an mlv repository the store is .git/mlv/store; --store DIR uses any directory.",
        },
        subcommands = {
            StorePutCommand.class,
            StoreCatCommand.class,
            StoreChunksCommand.class,
            StoreStatsCommand.class,
            StoreVerifyCommand.class,
            StoreRemoteCommand.class,
        })
final class StoreCommand {
}
