package dev.mlv.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlv.cli.CliHarness;
import dev.mlv.core.experiment.MetricCell;
import dev.mlv.core.experiment.MetricsShow;
import dev.mlv.core.promotion.History;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library API of docs/api.md in a work tree: open a repository, list a branch's files, read a
 * model from a branch, its metrics and its promotion history. Bare repositories and linked work
 * trees: {@link RepositoryLayoutsTest}.
 */
class LibraryApiTest {
    @TempDir
    Path root;

    @Test
    void loadAModelFromABranch() throws Exception {
        assertThat(new CliHarness(root).run("init", "p").exitCode()).isZero();
        Path dir = root.resolve("p");
        CliHarness mlv = new CliHarness(dir);
        byte[] model = new byte[500_000];
        new Random(7).nextBytes(model);
        Files.createDirectories(dir.resolve("models"));
        Files.write(dir.resolve("models/model.onnx"), model);
        assertThat(mlv.run("train-commit", "-m", "m").exitCode()).isZero();
        assertThat(mlv.run("promote", "main", "prod", "--create").exitCode()).isZero();

        try (MlvRepository repo = MlvRepository.open(dir.resolve("models"));
             InputStream in = repo.open("prod", "models/model.onnx")) {
            assertThat(in.readAllBytes()).isEqualTo(model);
            try (SeekableByteChannel ch = repo.openChannel("prod", "models/model.onnx")) {
                ByteBuffer buf = ByteBuffer.allocate(1000);
                ch.position(400_000).read(buf);
                assertThat(ch.size()).isEqualTo(model.length);
                assertThat(buf.array()).isEqualTo(Arrays.copyOfRange(model, 400_000, 401_000));
            }
            RepoFile f = repo.file("prod", "models/model.onnx");
            assertThat(f.large()).isTrue();
            assertThat(f.size()).isEqualTo(model.length);
            assertThatThrownBy(() -> repo.open("prod", "models/none.onnx"))
                    .isInstanceOfSatisfying(MlvException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
            assertThatThrownBy(() -> repo.open("prod", "../etc/passwd"))
                    .isInstanceOfSatisfying(MlvException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.USAGE));
        }
    }

    @Test
    void listFilesReadMetricsAndHistoryOfABranch() throws Exception {
        assertThat(new CliHarness(root).run("init", "p").exitCode()).isZero();
        Path dir = root.resolve("p");
        CliHarness mlv = new CliHarness(dir);
        byte[] model = new byte[300_000];
        new Random(3).nextBytes(model);
        Files.write(dir.resolve("models/model.onnx"), model);
        // a file committed to Git directly (.dat is not tracked): read from its Git blob
        byte[] table = new byte[3 << 20];
        new Random(4).nextBytes(table);
        Files.createDirectories(dir.resolve("assets"));
        Files.write(dir.resolve("assets/table.dat"), table);
        Files.createDirectories(dir.resolve("metrics"));
        Files.writeString(dir.resolve("metrics/metrics.json"), "{\"accuracy\": 0.9, \"eval\": {\"f1\": 0.75, \"ok\": true}}");
        assertThat(mlv.run("train-commit", "-m", "v1").exitCode()).isZero();
        assertThat(mlv.run("promote", "main", "prod", "--create").exitCode()).isZero();
        Files.writeString(dir.resolve("metrics/metrics.json"), "{\"accuracy\": 0.95, \"eval\": {\"f1\": 0.8, \"ok\": true}}");
        assertThat(mlv.run("train-commit", "-m", "v2").exitCode()).isZero();
        assertThat(mlv.run("promote", "main", "prod").exitCode()).isZero();

        try (MlvRepository repo = MlvRepository.open(dir)) {
            List<RepoFile> models = repo.list("prod", "models");
            assertThat(models).extracting(RepoFile::path).containsExactly("models/.gitkeep", "models/model.onnx");
            assertThat(repo.list("prod", "models/")).extracting(RepoFile::path).isEqualTo(models.stream().map(RepoFile::path).toList());
            RepoFile onnx = models.get(1);
            assertThat(onnx.large()).isTrue();
            assertThat(onnx.size()).isEqualTo(model.length);
            assertThat(onnx.oid()).isEqualTo(repo.file("prod", "models/model.onnx").oid()).hasSize(64);
            try (InputStream in = onnx.open()) {
                assertThat(in.readAllBytes()).isEqualTo(model);
            }

            RepoFile asset = repo.list("prod", "assets/table.dat").get(0);
            assertThat(asset.large()).isFalse();
            assertThat(asset.size()).isEqualTo(table.length);
            assertThat(asset.oid()).hasSize(40);
            try (InputStream in = asset.open()) {
                assertThat(in.readAllBytes()).isEqualTo(table);
            }
            try (SeekableByteChannel ch = asset.openChannel()) {
                ByteBuffer buf = ByteBuffer.allocate(10);
                ch.position(2_000_000).read(buf);
                assertThat(buf.array()).isEqualTo(Arrays.copyOfRange(table, 2_000_000, 2_000_010));
            }
            assertThat(repo.list("prod", "")).extracting(RepoFile::path)
                    .contains(".gitattributes", ".mlv/config.json", "assets/table.dat", "metrics/metrics.json", "models/model.onnx")
                    .isSorted();
            assertThat(repo.list("prod", "nothing/here")).isEmpty();
            assertThatThrownBy(() -> repo.list("prod", "../models"))
                    .isInstanceOfSatisfying(MlvException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.USAGE));
            assertThatThrownBy(() -> repo.list("staging", "models"))
                    .isInstanceOfSatisfying(MlvException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));

            MetricsShow.Result shown = new MetricsShow(repo).setRefs(List.of("prod", "prod~1")).call();
            Map<String, MetricCell> now = shown.values(0);
            assertThat(now.keySet()).containsExactly("accuracy", "eval.f1", "eval.ok");
            assertThat(now.get("accuracy").shown()).isEqualTo("0.95");
            assertThat(now.get("eval.ok").value()).isEqualTo(Boolean.TRUE);
            assertThat(shown.values(1).get("eval.f1").shown()).isEqualTo("0.75");

            History.Result history = new History(repo).call("prod");
            assertThat(history.promotions()).extracting(History.Entry::number).containsExactly(2, 1);
            assertThat(history.promotions().get(0).commit()).isEqualTo(onnx.commit());
            assertThat(history.promotions().get(0).source()).isEqualTo("main");
            assertThat(history.promotions().get(0).metrics()).extractingByKey("accuracy").extracting(c -> c.shown()).isEqualTo("0.95");
        }
    }

    @Test
    void contentMissingFromTheStoreIsNotFoundWithTheNextStep() throws Exception {
        assertThat(new CliHarness(root).run("init", "p").exitCode()).isZero();
        Path dir = root.resolve("p");
        Files.write(dir.resolve("models/model.onnx"), new byte[] {1, 2, 3});
        assertThat(new CliHarness(dir).run("train-commit", "-m", "m").exitCode()).isZero();
        try (MlvRepository repo = MlvRepository.open(dir)) {
            RepoFile f = repo.file("main", "models/model.onnx");
            deleteTree(dir.resolve(".git/mlv/store"));
            assertThatThrownBy(f::open)
                    .isInstanceOfSatisfying(MlvException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND))
                    .hasMessageContaining("models/model.onnx").hasMessageContaining("mlv pull");
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
