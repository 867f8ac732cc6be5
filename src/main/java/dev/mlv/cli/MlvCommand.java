package dev.mlv.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The root command. Holds the global options, which every subcommand inherits: they may stand
 * before or after the subcommand's name. Its subcommands are registered by {@link Cli}.
 */
@Command(
        name = "mlv",
        description = {
            "Git-native versioning for ML experiments and models.",
            "",
            "Each experiment is a Git branch holding src/, models/, metrics/, logs/ and monitoring/;"
                    + " large files live in a chunked, deduplicated store and Git keeps a small pointer.",
        },
        synopsisSubcommandLabel = "COMMAND")
final class MlvCommand implements Callable<Integer> {
    private final CliContext context;

    @Spec
    private CommandSpec spec;

    @Option(names = "--version", description = "Print the version and exit.")
    private boolean version;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    MlvCommand(CliContext context) {
        this.context = context;
    }

    @Option(names = "-C", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "Run as if mlv was started in DIR.")
    void directory(Path dir) {
        context.directory(dir);
    }

    @Option(names = "--json", scope = ScopeType.INHERIT,
            description = "Print results as one JSON document on stdout.")
    void json(boolean on) {
        context.json(on);
    }

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT,
            description = "Print only results and errors.")
    void quiet(boolean on) {
        context.quiet(on);
    }

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Log more on stderr: -v info, -vv debug, -vvv trace.")
    void verbose(boolean[] flags) {
        context.verbosity(flags.length);
        LogSetup.verbosity(flags.length);
    }

    @Option(names = "--stacktrace", scope = ScopeType.INHERIT,
            description = "Print the stack trace of an error.")
    void stacktrace(boolean on) {
        context.stacktrace(on);
    }

    @Override
    public Integer call() {
        if (version) {
            printVersion();
            return ExitCodes.OK;
        }
        spec.commandLine().usage(context.out());
        return ExitCodes.OK;
    }

    private void printVersion() {
        String mlvVersion = VersionInfo.version();
        if (context.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("version", mlvVersion);
            doc.put("java", System.getProperty("java.version"));
            doc.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
            context.printJson(doc);
        } else {
            context.out().println("mlv " + mlvVersion);
        }
    }
}
