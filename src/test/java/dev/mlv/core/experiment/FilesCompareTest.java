package dev.mlv.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlv.cli.CliHarness;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FilesCompare's sizes and shared bytes, and ExperimentList's cache by commit id (both behind the web view). */
class FilesCompareTest {
    private static final int SIZE = 1 << 20;

    @TempDir
    Path root;

    private static void ok(CliHarness mlv, String... args) {
        CliHarness.Result r = mlv.run(args);
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    @Test
    void aModelWhoseFirstHalfIsKeptSharesAboutHalfItsBytes() throws Exception {
        ok(new CliHarness(root), "init", "p");
        Path dir = root.resolve("p");
        CliHarness mlv = new CliHarness(dir);
        byte[] model = new byte[SIZE];
        new Random(1).nextBytes(model);
        Files.createDirectories(dir.resolve("models"));
        Files.write(dir.resolve("models/model.bin"), model);
        Files.writeString(dir.resolve("notes.txt"), "a");
        ok(mlv, "train-commit", "-m", "a");
        ok(mlv, "switch", "--create", "b");
        byte[] tail = new byte[SIZE / 2];
        new Random(2).nextBytes(tail);
        System.arraycopy(tail, 0, model, SIZE / 2, tail.length);
        Files.write(dir.resolve("models/model.bin"), model);
        Files.writeString(dir.resolve("notes.txt"), "bb");
        Files.writeString(dir.resolve("new.txt"), "new");
        ok(mlv, "train-commit", "-m", "b");
        try (MlvRepository repo = MlvRepository.open(dir, new Session(Clock.systemUTC(), Map.of()))) {
            FilesCompare.Result r = new FilesCompare(repo).call("main", "b");
            assertThat(r.changes()).extracting(FilesCompare.Change::path).containsExactly("models/model.bin", "new.txt", "notes.txt");
            FilesCompare.Change m = r.changes().get(0);
            assertThat(m.large()).isTrue();
            assertThat(m.oldSize()).isEqualTo(SIZE);
            assertThat(m.newSize()).isEqualTo(SIZE);
            // the chunks before the change point are shared; the one that straddles it is not (chunks are at most 128 KiB)
            assertThat(m.sharedBytes()).isBetween((long) SIZE / 2 - (128 << 10), (long) SIZE / 2);
            assertThat(r.changes().get(1)).isEqualTo(new FilesCompare.Change("new.txt", "added", false, -1, 3, null));
            assertThat(r.changes().get(2)).isEqualTo(new FilesCompare.Change("notes.txt", "modified", false, 1, 2, null));

            ExperimentList.Cache cache = new ExperimentList.Cache(100);
            List<ExperimentList.Row> first = new ExperimentList(repo).setCache(cache).call().rows();
            assertThat(first).hasSize(2);
            assertThat(cache.size()).isEqualTo(2);
            Files.createDirectories(dir.resolve("metrics"));
            Files.writeString(dir.resolve("metrics/metrics.json"), "{\"accuracy\": 0.5}");
            ok(mlv, "train-commit", "-m", "c");
            ExperimentList.Result again = new ExperimentList(repo).setCache(cache).call();
            // only the tip that moved was read; the listing shows its new value
            assertThat(cache.size()).isEqualTo(3);
            assertThat(again.rows().stream().filter(x -> x.branch().equals("b")).findFirst().orElseThrow().metrics().get("accuracy").shown())
                    .isEqualTo("0.5");
        }
    }
}
