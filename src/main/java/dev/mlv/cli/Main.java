package dev.mlv.cli;

import dev.mlv.core.GitHome;

/**
 * The mlv executable. The only place that calls {@link System#exit}, and the place that sets up
 * logging for the command line ({@link LogSetup}) and JGit's user home ({@link GitHome}): mlv as a
 * library leaves both to its host.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        LogSetup.install();
        CliEnvironment environment = CliEnvironment.system();
        GitHome.follow(environment.env()); // JGit reads ~/.gitconfig from $HOME, as git does
        System.exit(Cli.run(environment, args));
    }
}
