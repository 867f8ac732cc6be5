package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Progress bars on the long local operations: drawn on stderr when it is a terminal (bytes, total,
 * rate, time left), never otherwise, never with -q or --json; and a Ctrl-C says how far it got.
 */
class ProgressBarTest {
    @TempDir
    Path root;

    @Test
    void longLocalOperationsDrawABarOnATerminalOnly() throws Exception {
        assertThat(new CliHarness(root).run("init", "p").exitCode()).isZero();
        Path repo = root.resolve("p");
        CliHarness tty = new CliHarness(repo).terminal(true);
        CliHarness plain = new CliHarness(repo);
        byte[] big = new byte[4_000_000];
        new Random(7).nextBytes(big);
        Files.write(repo.resolve("models/model.bin"), big);

        CliHarness.Result commit = tty.run("train-commit", "-m", "a");
        assertThat(commit.exitCode()).as(commit.toString()).isZero();
        assertThat(commit.stderr()).contains("\rstoring: ").contains("/s");
        assertThat(commit.stdout()).doesNotContain("storing");

        assertThat(plain.run("switch", "--create", "other").exitCode()).isZero();
        Files.write(repo.resolve("models/model.bin"), new byte[] {1, 2, 3});
        CliHarness.Result quiet = plain.run("train-commit", "-m", "b");
        assertThat(quiet.exitCode()).isZero();
        assertThat(quiet.stderr()).isEmpty();

        CliHarness.Result switched = tty.run("switch", "main");
        assertThat(switched.exitCode()).as(switched.toString()).isZero();
        assertThat(switched.stderr()).contains("\rswitch: ").contains("/ 3.81 MiB").contains(" left");
        assertThat(Files.readAllBytes(repo.resolve("models/model.bin"))).isEqualTo(big);

        CliHarness.Result cat = tty.run("cat", "main:models/model.bin", "-o", root.resolve("copy.bin").toString());
        assertThat(cat.exitCode()).as(cat.toString()).isZero();
        assertThat(cat.stderr()).contains("\rcat: ");
        CliHarness.Result export = tty.run("export", "main", "--to", root.resolve("serving").toString());
        assertThat(export.exitCode()).as(export.toString()).isZero();
        assertThat(export.stderr()).contains("\rexport: ");

        // not a terminal, or -q, or --json: nothing on stderr
        assertThat(plain.run("cat", "main:models/model.bin", "-o", root.resolve("copy2.bin").toString()).stderr())
                .doesNotContain("cat:").doesNotContain("\r");
        assertThat(plain.run("switch", "other").stderr()).isEmpty();
        assertThat(tty.run("-q", "switch", "main").stderr()).isEmpty();
        assertThat(tty.run("--json", "switch", "other").stderr()).isEmpty();
    }

    @Test
    void anInterruptedOperationSaysHowFarItGotAndWhatThatLeaves() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliContext context = new CliContext(new CliEnvironment(root, Map.of(), Clock.systemUTC(),
                new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8), false));
        Progress progress = Progress.bytes(context, "storing", 0).onInterrupt("nothing was committed");
        progress.totalKnown(10 << 20);
        progress.bytesDone(3 << 20);
        progress.interrupted("nothing was committed");
        progress.close();
        context.err().flush();
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("mlv: interrupted: storing stopped at 3.00 MiB of 10.0 MiB; nothing was committed\n");

        // after the operation finished, an interrupt has nothing to report
        err.reset();
        progress.interrupted("nothing was committed");
        context.err().flush();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
