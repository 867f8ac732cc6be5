package dev.mlv.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * What one run of mlv sees of the outside world. {@link Main} builds it from the process; tests
 * build it from temp folders, a fixed clock and captured streams.
 *
 * @param workDir  the directory mlv was started in (before {@code -C})
 * @param env      environment variables
 * @param clock    the clock used for commit times, run records and ages
 * @param in       standard input
 * @param out      standard output: results only
 * @param err      standard error: progress, warnings, errors
 * @param terminal whether stderr is an interactive terminal (progress bars, colour)
 */
public record CliEnvironment(
        Path workDir,
        Map<String, String> env,
        Clock clock,
        InputStream in,
        PrintStream out,
        PrintStream err,
        boolean terminal) {

    /** The environment of this process. */
    public static CliEnvironment system() {
        return new CliEnvironment(
                Path.of("").toAbsolutePath(),
                System.getenv(),
                Clock.systemUTC(),
                System.in,
                System.out,
                System.err,
                System.console() != null);
    }
}
