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
        if (printVersion(args, System.out)) {
            System.exit(ExitCodes.OK);
        }
        LogSetup.install();
        CliEnvironment environment = CliEnvironment.system();
        GitHome.follow(environment.env()); // JGit reads ~/.gitconfig from $HOME, as git does
        System.exit(Cli.run(environment, args));
    }

    /**
     * Answers a bare {@code mlv --version} (what scripts and installers run to find mlv) before
     * the command line is built: picocli's reflection over the command, logging and JGit's user
     * config would triple its start-up. Prints what {@link MlvCommand} prints; false for any other
     * arguments ({@code --version --json} included), which go through the command line.
     */
    static boolean printVersion(String[] args, java.io.PrintStream out) {
        if (args.length != 1 || !"--version".equals(args[0])) {
            return false;
        }
        out.println("mlv " + VersionInfo.version());
        out.flush();
        return true;
    }
}
