package dev.mlv.cli;

import picocli.CommandLine.Command;

/** {@code mlv store remote set|show}: where the large files are pushed to and fetched from. */
@Command(
        name = "remote",
        description = {
            "Manage store remotes in .mlv/config.json (committed, so clones know where the content lives):",
            "a directory (file:///path or a path) or an S3 bucket (s3://bucket/prefix). Credentials come only from"
                    + " the AWS SDK's default chain and are never written to the config.",
        },
        subcommands = {StoreRemoteSetCommand.class, StoreRemoteShowCommand.class})
final class StoreRemoteCommand {
}
