package dev.mlv.cli;

import picocli.CommandLine.Command;

/** {@code mlv metrics ...}: read and compare commits' metrics/*.json. */
@Command(
        name = "metrics",
        description = {
            "Show and compare metrics (metrics/*.json, flattened to dotted keys; see docs/metrics.md).",
            "Directions (max: higher is better, min: lower is better) come from .mlv/config.json's"
                    + " metrics.directions, else from the key's name.",
        },
        subcommands = {
            MetricsShowCommand.class,
            MetricsDiffCommand.class,
        })
final class MetricsCommand {
}
