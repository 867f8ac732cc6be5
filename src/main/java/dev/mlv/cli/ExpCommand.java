package dev.mlv.cli;

import picocli.CommandLine.Command;

/** {@code mlv exp ...}: experiments are branches; list them with their metrics, start and inspect them. */
@Command(
        name = "exp",
        description = {
            "Experiments: every branch is one. List them with their metrics, start a new one, show one in full, remove"
                    + " finished ones.",
            "Listings read branch tips directly; nothing is checked out.",
        },
        subcommands = {
            ExpNewCommand.class,
            ExpListCommand.class,
            ExpShowCommand.class,
            ExpRmCommand.class,
        })
final class ExpCommand {
}
