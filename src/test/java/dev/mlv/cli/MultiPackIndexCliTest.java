package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlv.store.pack.MultiPackIndex;
import dev.mlv.testing.LogCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The multi-pack index through the command line: gc writes it; commands that look up no chunk
 * never open it (so a damaged one costs them nothing, not even a warning); a command that reads
 * content warns and reads through the pack indexes; the next gc rebuilds it.
 */
class MultiPackIndexCliTest {
    private static final String CATALOG = "dev.mlv.store.PackCatalog";

    @TempDir
    Path root;

    @Test
    void onlyCommandsThatReadContentOpenItAndADamagedOneIsRebuiltByGc() throws IOException {
        assertThat(new CliHarness(root).run("init", "proj").exitCode()).isZero();
        Path repo = root.resolve("proj");
        CliHarness mlv = new CliHarness(repo).clock(Clock.systemUTC());
        byte[] model = new byte[300_000];
        new Random(19).nextBytes(model);
        Files.write(repo.resolve("models/model.bin"), model);
        assertThat(mlv.run("train-commit", "-m", "model").exitCode()).isZero();
        assertThat(mlv.run("gc").exitCode()).isZero();
        Path midx = repo.resolve(".git/mlv/store/index/multi-pack.midx");
        MultiPackIndex.open(midx, "after gc").verify();

        byte[] bytes = Files.readAllBytes(midx);
        bytes[1] ^= 0x20; // bad magic
        Files.write(midx, bytes);
        for (String[] command : new String[][] {{"status"}, {"ls-files"}, {"log"}, {"exp", "list"}}) {
            try (LogCapture log = LogCapture.of(CATALOG)) {
                CliHarness.Result r = mlv.run(command);
                assertThat(r.exitCode()).as(r.toString()).isZero();
                assertThat(log.lines()).as(String.join(" ", command) + " opened no index").isEmpty();
            }
        }
        try (LogCapture log = LogCapture.of(CATALOG)) {
            CliHarness.Result cat = mlv.run("cat", "HEAD:models/model.bin");
            assertThat(cat.exitCode()).as(cat.toString()).isZero();
            assertThat(cat.stdoutBytes()).isEqualTo(model);
            assertThat(log.lines()).anyMatch(l -> l.contains("ignoring the multi-pack index"));
        }

        assertThat(mlv.run("gc").exitCode()).isZero();
        MultiPackIndex.open(midx, "rebuilt").verify();
        try (LogCapture log = LogCapture.of(CATALOG)) {
            CliHarness.Result again = mlv.run("cat", "HEAD:models/model.bin");
            assertThat(again.stdoutBytes()).isEqualTo(model);
            assertThat(log.lines()).isEmpty();
        }
    }
}
