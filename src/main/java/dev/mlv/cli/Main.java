package dev.mlv.cli;

/**
 * The mlv executable. The only place that calls {@link System#exit}, and the place that sets up
 * logging for the command line ({@link LogSetup}): mlv as a library leaves that to its host.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        LogSetup.install();
        System.exit(Cli.run(CliEnvironment.system(), args));
    }
}
