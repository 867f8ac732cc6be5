package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootCommandTest {
    @TempDir
    Path dir;

    private CliHarness.Result run(String... args) {
        return new CliHarness(dir).run(args);
    }

    @Test
    void versionPrintsTheBuildVersion() {
        CliHarness.Result r = run("--version");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).matches("mlv \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R");
        assertThat(r.stderr()).isEmpty();
    }

    @Test
    void aBareVersionIsAnsweredBeforeTheCommandLineIsBuiltWithTheSameLine() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        assertThat(Main.printVersion(new String[] {"--version"}, new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8)))
                .isTrue();
        assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(run("--version").stdout());
        assertThat(Main.printVersion(new String[] {"--version", "--json"}, System.out)).as("JSON goes through picocli").isFalse();
        assertThat(Main.printVersion(new String[] {"status"}, System.out)).isFalse();
    }

    @Test
    void versionAsJson() throws Exception {
        CliHarness.Result r = run("--json", "--version");
        assertThat(r.exitCode()).isZero();
        JsonNode doc = new ObjectMapper().readTree(r.stdout());
        assertThat(doc.get("version").asText()).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        assertThat(doc.get("java").asText()).isNotBlank();
    }

    @Test
    void unknownCommandIsAUsageErrorWithAHint() {
        CliHarness.Result r = run("nosuchcommand");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).contains("'nosuchcommand' is not a command of 'mlv'").contains("mlv --help");
    }

    @Test
    void unknownOptionIsAUsageError() {
        CliHarness.Result r = run("--no-such-option");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.stderr()).contains("--no-such-option");
    }

    @Test
    void helpListsCommandsAndExitCodes() {
        CliHarness.Result r = run("--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout())
                .contains("Usage: mlv")
                .contains("completion")
                .contains("Exit codes:")
                .contains("7  remote unreachable");
    }

    @Test
    void helpSubcommandShowsTheCommandsHelp() {
        CliHarness.Result r = run("help", "completion");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).contains("Usage: mlv completion").contains("SHELL");
    }

    @Test
    void globalOptionsAreAcceptedAfterTheSubcommand() {
        CliHarness.Result r = run("completion", "--json", "-q", "-C", ".", "bash");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).contains("complete -F");
    }

    @Test
    void zshCompletionLoadsBashCompatibility() {
        CliHarness.Result r = run("completion", "zsh");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).startsWith("autoload -U +X compinit").contains("bashcompinit");
    }

    @Test
    void badEnumValueIsAUsageError() {
        CliHarness.Result r = run("completion", "fish");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.stderr()).contains("fish").contains("mlv help completion");
    }

    @Test
    void everyCommandsHelpRendersCleanly() {
        java.io.PrintStream realErr = System.err;
        java.io.ByteArrayOutputStream picocliWarnings = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(picocliWarnings, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            for (Class<?> c : Cli.COMMANDS) {
                String name = c.getAnnotation(picocli.CommandLine.Command.class).name();
                CliHarness.Result r = run("help", name);
                assertThat(r.exitCode()).as(name).isZero();
                assertThat(r.stdout()).as(name).contains("Usage: mlv " + name);
            }
        } finally {
            System.setErr(realErr);
        }
        assertThat(picocliWarnings.toString(java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("WARN");
    }

    @Test
    void everyCommandAndSubcommandAnswersHelpAndUsageErrorsPointToAHelpThatWorks() {
        picocli.CommandLine all = Cli.create(new CliContext(new CliEnvironment(dir, java.util.Map.of(), java.time.Clock.systemUTC(),
                java.io.InputStream.nullInputStream(), new java.io.PrintStream(java.io.OutputStream.nullOutputStream()),
                new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), false)));
        for (picocli.CommandLine group : all.getSubcommands().values()) {
            for (picocli.CommandLine sub : group.getSubcommands().values()) {
                String[] path = sub.getCommandSpec().qualifiedName().substring(4).split(" ");
                String[] args = java.util.Arrays.copyOf(path, path.length + 1);
                args[path.length] = "--help";
                CliHarness.Result r = run(args);
                assertThat(r.exitCode()).as(String.join(" ", args)).isZero();
                assertThat(r.stdout()).as(String.join(" ", args)).contains("Usage: " + sub.getCommandSpec().qualifiedName());
            }
        }
        CliHarness.Result missing = run("store", "put");
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.stderr()).contains("see 'mlv store put --help'");
        CliHarness.Result help = run("store", "put", "--help");
        assertThat(help.stdout()).contains("Usage: mlv store put").contains("Examples:");
    }

    @Test
    void onlyTheNamedCommandIsBuiltButUnknownNamesGetSuggestions() {
        assertThat(Cli.commandsFor(new String[] {"-C", "x", "status", "--json"})).containsExactly(StatusCommand.class);
        assertThat(Cli.commandsFor(new String[] {"--version"})).isEmpty();
        assertThat(Cli.commandsFor(new String[] {"help", "status"})).isEqualTo(Cli.COMMANDS);
        assertThat(Cli.commandsFor(new String[] {"stauts"})).isEqualTo(Cli.COMMANDS);
        CliHarness.Result r = run("stauts");
        assertThat(r.stderr()).contains("status");
    }
}
