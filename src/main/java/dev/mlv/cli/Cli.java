package dev.mlv.cli;

import dev.mlv.core.MlvException;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The one factory that wires mlv's command line: {@link Main} and the tests both build it here,
 * so what tests run is what users run.
 */
public final class Cli {
    private Cli() {
    }

    /** Runs mlv with these arguments in this environment and returns the exit code. */
    public static int run(CliEnvironment environment, String... args) {
        CliContext context = new CliContext(environment);
        try {
            return create(context).execute(args);
        } finally {
            context.out().flush();
            context.err().flush();
            if (context.verbosity() > 0) {
                // -v is per run; in-process callers (tests, embedders) run again at the default level
                LogSetup.verbosity(0);
            }
        }
    }

    static CommandLine create(CliContext context) {
        CommandLine cli = new CommandLine(new MlvCommand(context), new ContextFactory(context));
        List<String> footer = new ArrayList<>(List.of("", "Exit codes:"));
        footer.addAll(List.of(ExitCodes.HELP_TABLE));
        footer.addAll(List.of("", "Run 'mlv help COMMAND' for a command's options and examples. Docs: docs/cli.md"));
        cli.getCommandSpec().usageMessage().footer(footer.toArray(String[]::new));
        cli.setOut(context.out());
        cli.setErr(context.err());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExitCodeExceptionMapper(exitCodes());
        cli.setExecutionExceptionHandler(new ErrorHandler(context));
        cli.setParameterExceptionHandler(new UsageErrorHandler(context));
        return cli;
    }

    private static IExitCodeExceptionMapper exitCodes() {
        return Cli::exitCode;
    }

    private static int exitCode(Throwable e) {
        return e instanceof MlvException mlv ? ExitCodes.of(mlv.kind()) : ExitCodes.ERROR;
    }

    /** Prints {@code mlv: message} for a failed command; the stack trace only with --stacktrace. */
    private record ErrorHandler(CliContext context) implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
            PrintWriter err = context.err();
            err.println("mlv: " + describe(e));
            if (context.stacktrace()) {
                e.printStackTrace(err);
            } else if (!(e instanceof MlvException)) {
                err.println("mlv: this looks like a bug; rerun with --stacktrace and report the output");
            }
            err.flush();
            return exitCode(e);
        }

        private static String describe(Exception e) {
            if (e instanceof MlvException) {
                return e.getMessage();
            }
            String message = e.getMessage();
            return message == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + message;
        }
    }

    /** A usage error: one line saying what is wrong, one saying where help is; exit 2. */
    private record UsageErrorHandler(CliContext context) implements IParameterExceptionHandler {
        @Override
        public int handleParseException(ParameterException e, String[] args) {
            PrintWriter err = context.err();
            err.println("mlv: " + message(e));
            if (e instanceof UnmatchedArgumentException unmatched) {
                List<String> suggestions = unmatched.getSuggestions();
                if (!suggestions.isEmpty()) {
                    err.println("mlv: did you mean: " + String.join(", ", suggestions) + "?");
                }
            }
            String commandPath = e.getCommandLine().getCommandSpec().qualifiedName();
            String helpFor = commandPath.equals("mlv") ? "mlv --help" : "mlv help " + commandPath.substring(4);
            err.println("mlv: see '" + helpFor + "'");
            err.flush();
            return ExitCodes.USAGE;
        }

        private static String message(ParameterException e) {
            if (e instanceof UnmatchedArgumentException unmatched && unmatched.isUnknownOption()) {
                return e.getMessage();
            }
            if (e instanceof UnmatchedArgumentException unmatched
                    && !unmatched.getUnmatched().isEmpty()
                    && e.getCommandLine().getCommandSpec().subcommands().size() > 1) {
                String name = e.getCommandLine().getCommandSpec().qualifiedName();
                return "'" + unmatched.getUnmatched().get(0) + "' is not a command of '" + name + "'";
            }
            return e.getMessage();
        }
    }

    /** Creates commands, handing each the invocation's {@link CliContext} when it takes one. */
    private record ContextFactory(CliContext context) implements IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            for (Constructor<?> constructor : type.getDeclaredConstructors()) {
                Class<?>[] params = constructor.getParameterTypes();
                if (params.length == 1 && params[0] == CliContext.class) {
                    constructor.setAccessible(true);
                    return type.cast(constructor.newInstance(context));
                }
            }
            return CommandLine.defaultFactory().create(type);
        }
    }
}
