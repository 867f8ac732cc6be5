package dev.mlv.cli;

import picocli.CommandLine.Command;

/** {@code mlv ab ...}: A/B tests between branches. */
@Command(
        name = "ab",
        description = {
            "A/B tests between branches: arms pinned to commits and weights, recorded in Git (refs/mlv/ab/NAME, carried"
                    + " by push, fetch, pull and clone);"
                    + " deterministic assignment of keys to arms; a report with a significance test on the arms'"
                    + " monitoring data; conclusion through the normal gated promotion.",
        },
        subcommands = {
            AbCreateCommand.class,
            AbListCommand.class,
            AbShowCommand.class,
            AbAssignCommand.class,
            AbReportCommand.class,
            AbConcludeCommand.class,
        })
final class AbCommand {
}
