package dev.mlv.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --store DIR}, shared by the store plumbing commands. */
final class StoreOption {
    @Option(names = "--store", paramLabel = "DIR",
            description = "Use the store in DIR instead of the current repository's.")
    Path dir;
}
