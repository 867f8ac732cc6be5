package dev.mlv.cli;

import picocli.CommandLine.Command;

/** {@code mlv params ...}: compare commits' params/*.json. */
@Command(
        name = "params",
        description = {
            "Compare parameters (params/*.json, flattened to dotted keys by the rules of metrics; see docs/metrics.md).",
        },
        subcommands = {
            ParamsDiffCommand.class,
        })
final class ParamsCommand {
}
