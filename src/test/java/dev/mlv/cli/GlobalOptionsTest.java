package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlv.core.ErrorKind;
import dev.mlv.core.MlvException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The global options reach the shared context wherever they stand; errors map to exit codes. */
class GlobalOptionsTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** A throwaway subcommand that reports what it sees or throws what it is told to. */
    @Command(name = "probe")
    static final class Probe implements Callable<Integer> {
        private final CliContext context;
        private final Exception toThrow;

        Probe(CliContext context, Exception toThrow) {
            this.context = context;
            this.toThrow = toThrow;
        }

        @Override
        public Integer call() throws Exception {
            if (toThrow != null) {
                throw toThrow;
            }
            context.out().printf("dir=%s json=%s quiet=%s verbosity=%d%n",
                    context.directory(), context.json(), context.quiet(), context.verbosity());
            return 0;
        }
    }

    private int run(Exception toThrow, String... args) {
        CliEnvironment env = new CliEnvironment(dir, Map.of(), Clock.systemUTC(), System.in,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), false);
        CliContext context = new CliContext(env);
        CommandLine cli = Cli.create(context);
        cli.addSubcommand(new Probe(context, toThrow));
        int code = cli.execute(args);
        context.out().flush();
        context.err().flush();
        return code;
    }

    @Test
    void optionsAfterTheSubcommandReachTheContext() {
        assertThat(run(null, "probe", "-C", "sub", "--json", "-q", "-vv")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).trim())
                .isEqualTo("dir=" + dir.resolve("sub") + " json=true quiet=true verbosity=2");
    }

    @Test
    void optionsBeforeTheSubcommandReachTheContext() {
        assertThat(run(null, "-C", "/abs", "--json", "probe")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).trim())
                .isEqualTo("dir=/abs json=true quiet=false verbosity=0");
    }

    @Test
    void mlvExceptionsMapToTheirExitCodeWithAOneLineMessage() {
        int code = run(new MlvException(ErrorKind.NOT_FOUND, "branch 'prod' not found; create it with 'mlv promote dev prod --create'"), "probe");
        assertThat(code).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("mlv: branch 'prod' not found; create it with 'mlv promote dev prod --create'\n");
    }

    @Test
    void everyErrorKindHasADistinctExitCode() {
        assertThat(java.util.Arrays.stream(ErrorKind.values()).map(ExitCodes::of).distinct().count())
                .isEqualTo(ErrorKind.values().length);
        assertThat(ExitCodes.of(ErrorKind.INTEGRITY)).isEqualTo(6);
        assertThat(ExitCodes.of(ErrorKind.GATE_FAILED)).isEqualTo(3);
    }

    @Test
    void unexpectedExceptionsExitOneAndSuggestStacktrace() {
        int code = run(new IllegalStateException("boom"), "probe");
        assertThat(code).isEqualTo(ExitCodes.ERROR);
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertThat(stderr).startsWith("mlv: IllegalStateException: boom\n").contains("--stacktrace");
        assertThat(stderr).doesNotContain("\tat ");
    }

    @Test
    void stacktraceOptionPrintsTheTrace() {
        int code = run(new IllegalStateException("boom"), "probe", "--stacktrace");
        assertThat(code).isEqualTo(ExitCodes.ERROR);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("\tat ");
    }
}
