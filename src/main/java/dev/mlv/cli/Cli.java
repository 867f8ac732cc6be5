package dev.mlv.cli;

import dev.mlv.core.ErrorKind;
import dev.mlv.core.MlvException;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The one factory that wires mlv's command line: {@link Main} and the tests both build it here,
 * so what tests run is what users run.
 */
public final class Cli {
    /** Every subcommand, in the order help lists them. */
    static final List<Class<?>> COMMANDS = List.of(
            InitCommand.class,
            CloneCommand.class,
            StatusCommand.class,
            TrainCommitCommand.class,
            SwitchCommand.class,
            LogCommand.class,
            CatCommand.class,
            LsFilesCommand.class,
            ExpCommand.class,
            MetricsCommand.class,
            ParamsCommand.class,
            ReportCommand.class,
            PromoteCommand.class,
            CheckCommand.class,
            HistoryCommand.class,
            RollbackCommand.class,
            RecordCommand.class,
            ExportCommand.class,
            ServeCommand.class,
            MountCommand.class,
            AbCommand.class,
            RemoteCommand.class,
            PushCommand.class,
            FetchCommand.class,
            PullCommand.class,
            DataCommand.class,
            ReproduceCommand.class,
            RetrainCommand.class,
            TrackCommand.class,
            UntrackCommand.class,
            StoreCommand.class,
            FsckCommand.class,
            GcCommand.class,
            InstallCommand.class,
            UninstallCommand.class,
            ImportLfsCommand.class,
            FilterProcessCommand.class,
            LfsAgentCommand.class,
            CompletionCommand.class,
            HelpCommand.class);

    /** Commands that need the whole command tree (they describe it). */
    private static final Set<String> NEED_ALL = Set.of("help", "completion");

    private Cli() {
    }

    /** Runs mlv with these arguments in this environment and returns the exit code. */
    public static int run(CliEnvironment environment, String... args) {
        CliContext context = new CliContext(environment);
        try {
            return create(context, args).execute(args);
        } finally {
            context.out().flush();
            context.err().flush();
            if (context.verbosity() > 0) {
                // -v is per run: a JVM that runs several commands (CdsTraining) runs the next at the
                // default level. A no-op where the command line did not set up logging (LogSetup).
                LogSetup.verbosity(0);
            }
        }
    }

    static CommandLine create(CliContext context) {
        return create(context, null);
    }

    /**
     * Builds the command line. With {@code args}, only the subcommand they name is registered:
     * picocli reflects over every registered command at start-up, and with thirty commands that
     * costs more than the JVM's own start (git likewise dispatches straight to one command).
     * Help, completion, an unknown name or no name at all get the whole tree.
     */
    static CommandLine create(CliContext context, String[] args) {
        ContextFactory factory = new ContextFactory(context);
        CommandLine cli = new CommandLine(new MlvCommand(context), factory);
        for (Class<?> command : commandsFor(args)) {
            try {
                cli.addSubcommand(factory.create(command));
            } catch (Exception e) {
                throw new IllegalStateException("cannot create command " + command.getName(), e);
            }
        }
        cli.getSubcommands().values().forEach(Cli::addHelpOption);
        List<String> footer = new ArrayList<>(List.of("", "Exit codes:"));
        footer.addAll(List.of(ExitCodes.HELP_TABLE));
        footer.addAll(List.of("", "Run 'mlv help COMMAND' (or 'mlv COMMAND [SUBCOMMAND] --help') for a command's options and examples."
                + " Docs: docs/cli.md"));
        cli.getCommandSpec().usageMessage().footer(footer.toArray(String[]::new));
        cli.setOut(context.out());
        cli.setErr(context.err());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionStrategy(parsed -> {
            List<CommandLine> chain = parsed.asCommandLineList();
            context.command(chain.get(chain.size() - 1).getCommandSpec().qualifiedName());
            return new CommandLine.RunLast().execute(parsed);
        });
        cli.setExitCodeExceptionMapper(exitCodes());
        cli.setExecutionExceptionHandler(new ErrorHandler(context));
        cli.setParameterExceptionHandler(new UsageErrorHandler(context));
        return cli;
    }

    /** {@code -h/--help} on a command and its subcommands (picocli's help command has its own). */
    private static void addHelpOption(CommandLine command) {
        CommandSpec spec = command.getCommandSpec();
        if (spec.findOption("--help") == null && spec.findOption("-h") == null) {
            spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                    .description("Show this help and exit.").build());
        }
        command.getSubcommands().values().forEach(Cli::addHelpOption);
    }

    static List<Class<?>> commandsFor(String[] args) {
        if (args == null) {
            return COMMANDS;
        }
        String name = commandName(args);
        if (name == null) {
            boolean versionOnly = Arrays.asList(args).contains("--version")
                    && !Arrays.asList(args).contains("--help") && !Arrays.asList(args).contains("-h");
            return versionOnly ? List.of() : COMMANDS;
        }
        if (NEED_ALL.contains(name)) {
            return COMMANDS;
        }
        for (Class<?> c : COMMANDS) {
            Command command = c.getAnnotation(Command.class);
            if (command != null && (command.name().equals(name) || Arrays.asList(command.aliases()).contains(name))) {
                return List.of(c);
            }
        }
        return COMMANDS; // unknown: the whole tree, so the error can suggest names
    }

    /** The first argument that is not a global option (or an option's value), or null. */
    private static String commandName(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                return null;
            }
            if (a.equals("-C")) {
                i++;
            } else if (!a.startsWith("-")) {
                return a;
            }
        }
        return null;
    }

    private static IExitCodeExceptionMapper exitCodes() {
        return Cli::exitCode;
    }

    private static int exitCode(Throwable e) {
        return e instanceof MlvException mlv ? ExitCodes.of(mlv.kind()) : ExitCodes.ERROR;
    }

    /**
     * Prints {@code mlv: message} for a failed command; the stack trace only with --stacktrace.
     * With {@code --json}, stdout also gets the error as a JSON document.
     */
    private record ErrorHandler(CliContext context) implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
            PrintWriter err = context.err();
            err.println("mlv: " + describe(e));
            if (context.json()) {
                context.printError(e instanceof MlvException mlv ? kind(mlv.kind()) : "internal", describe(e), exitCode(e));
            }
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
            // 'mlv help NAME' reaches top-level commands only; a nested one has its own --help
            String helpFor = commandPath.equals("mlv") ? "mlv --help"
                    : commandPath.indexOf(' ', 4) < 0 ? "mlv help " + commandPath.substring(4) : commandPath + " --help";
            err.println("mlv: see '" + helpFor + "'");
            err.flush();
            if (context.json() || jsonRequested(args)) {
                context.printError(kind(ErrorKind.USAGE), message(e), ExitCodes.USAGE);
            }
            return ExitCodes.USAGE;
        }

        /** Whether {@code --json} is among the arguments, even where parsing stopped before it. */
        private static boolean jsonRequested(String[] args) {
            for (String a : args) {
                if (a.equals("--")) {
                    return false;
                }
                if (a.equals("--json")) {
                    return true;
                }
            }
            return false;
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

    /** An error kind as JSON names it: {@code not-found}, {@code gate-failed}. */
    private static String kind(ErrorKind kind) {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
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
