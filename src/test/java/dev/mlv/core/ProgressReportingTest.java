package dev.mlv.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlv.cli.CliHarness;
import dev.mlv.core.serving.Export;
import dev.mlv.core.workspace.Cat;
import dev.mlv.core.workspace.Switch;
import dev.mlv.core.workspace.TrainCommit;
import dev.mlv.store.ProgressListener;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The long local operations report their large files' bytes to the one progress listener, and
 * tell it their total once they know it: what the command line's progress bar draws.
 */
class ProgressReportingTest {
    private static final int SIZE = 3_000_000;

    @TempDir
    Path root;

    /** Sums what it is told, as a progress bar does. */
    private static final class Counter implements ProgressListener {
        final AtomicLong done = new AtomicLong();
        final AtomicLong total = new AtomicLong(-1);

        @Override
        public void bytesDone(long bytes) {
            done.addAndGet(bytes);
        }

        @Override
        public void totalKnown(long bytes) {
            total.set(bytes);
        }
    }

    private static byte[] content(int seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void trainCommitSwitchExportAndCatReportEveryByteOfTheirLargeFiles() throws Exception {
        assertThat(new CliHarness(root).run("init", "p").exitCode()).isZero();
        Path dir = root.resolve("p");
        CliHarness mlv = new CliHarness(dir);
        Session session = new Session(Clock.fixed(CliHarness.NOW, ZoneOffset.UTC), Map.of(
                "HOME", dir.resolve(".home").toString(),
                "GIT_AUTHOR_NAME", CliHarness.AUTHOR_NAME, "GIT_AUTHOR_EMAIL", CliHarness.AUTHOR_EMAIL,
                "GIT_COMMITTER_NAME", CliHarness.AUTHOR_NAME, "GIT_COMMITTER_EMAIL", CliHarness.AUTHOR_EMAIL));
        byte[] onMain = content(1, SIZE);
        Files.write(dir.resolve("models/model.bin"), onMain);

        try (MlvRepository repo = MlvRepository.open(dir, session)) {
            Counter stored = new Counter();
            new TrainCommit(repo).setMessage("a").setProgress(stored).call();
            assertThat(stored.done.get()).isEqualTo(SIZE);
        }
        assertThat(mlv.run("switch", "--create", "other").exitCode()).isZero();
        Files.write(dir.resolve("models/model.bin"), content(2, SIZE / 2));
        assertThat(mlv.run("train-commit", "-m", "b").exitCode()).isZero();

        try (MlvRepository repo = MlvRepository.open(dir, session)) {
            Counter switched = new Counter();
            new Switch(repo).setProgress(switched).call("main");
            assertThat(switched.total.get()).isEqualTo(SIZE);
            assertThat(switched.done.get()).isEqualTo(SIZE);
            assertThat(Files.readAllBytes(dir.resolve("models/model.bin"))).isEqualTo(onMain);

            Counter exported = new Counter();
            new Export(repo).setTarget(root.resolve("serving")).setProgress(exported).call("main");
            assertThat(exported.total.get()).isEqualTo(SIZE);
            assertThat(exported.done.get()).isEqualTo(SIZE);

            Counter catted = new Counter();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new Cat(repo).setProgress(catted).call("other", "models/model.bin", out);
            assertThat(catted.total.get()).isEqualTo(SIZE / 2);
            assertThat(catted.done.get()).isEqualTo(SIZE / 2);
            assertThat(out.size()).isEqualTo(SIZE / 2);

            // once the operation is over, the store reports to it no more
            new Cat(repo).call("main", "models/model.bin", new ByteArrayOutputStream());
            assertThat(catted.done.get()).isEqualTo(SIZE / 2);
        }
    }
}
