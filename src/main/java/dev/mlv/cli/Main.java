package dev.mlv.cli;

/** The mlv executable. The only place that calls {@link System#exit}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(Cli.run(CliEnvironment.system(), args));
    }
}
