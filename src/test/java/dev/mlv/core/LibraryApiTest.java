package dev.mlv.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlv.cli.CliHarness;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library API of docs/api.md: open a repository, read a model from a branch. */
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
}
