package dev.mlv.cli;

import picocli.CommandLine.Command;

/** {@code mlv data ...}: the data submodule. */
@Command(
        name = "data",
        description = {
            "Version data as a Git submodule (data/): add a data repository, pull newer data, show its state.",
            "The commit of the data each experiment trained on is recorded by train-commit (Mlv-Data trailer,"
                    + " logs/run.json). See docs/data.md.",
        },
        subcommands = {
            DataAddCommand.class,
            DataPullCommand.class,
            DataStatusCommand.class,
        })
final class DataCommand {
}
