package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -o PATH} behaves as in every Unix tool: {@code -} is stdout, an existing FIFO or symlink is
 * written through, and only a regular or new file is replaced by rename.
 */
class OutputPathTest {
    @TempDir
    Path dir;

    private CliHarness mlv;
    private byte[] content;
    private String oid;

    @BeforeEach
    void setUp() throws Exception {
        mlv = new CliHarness(dir);
        content = new byte[200_000];
        new Random(7).nextBytes(content);
        Files.write(dir.resolve("f.bin"), content);
        oid = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        CliHarness.Result put = mlv.run("store", "put", "--store", "s", "f.bin");
        assertThat(put.exitCode()).as(put.toString()).isZero();
    }

    @Test
    void dashIsStandardOutputNotAFileNamedDash() {
        CliHarness.Result cat = mlv.run("store", "cat", "--store", "s", oid, "-o", "-");
        assertThat(cat.exitCode()).as(cat.toString()).isZero();
        assertThat(cat.stdoutBytes()).isEqualTo(content);
        assertThat(dir.resolve("-")).doesNotExist();

        CliHarness.Result json = mlv.run("store", "cat", "--store", "s", "--json", oid, "-o", "-");
        assertThat(json.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(json.stderr()).contains("--json needs -o FILE");
    }

    @Test
    void aSymlinkIsWrittenThroughAndStaysALink() throws Exception {
        Path real = Files.writeString(dir.resolve("real.bin"), "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.bin"), real.getFileName());

        CliHarness.Result cat = mlv.run("store", "cat", "--store", "s", oid, "-o", "link.bin");
        assertThat(cat.exitCode()).as(cat.toString()).isZero();
        assertThat(Files.isSymbolicLink(link)).as("the link is still a link").isTrue();
        assertThat(Files.readAllBytes(real)).isEqualTo(content);

        // a dangling link gets its target created, as 'cat > link' would
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling.bin"), dir.resolve("made.bin").getFileName());
        CliHarness.Result viaDangling = mlv.run("store", "cat", "--store", "s", oid, "-o", "dangling.bin");
        assertThat(viaDangling.exitCode()).as(viaDangling.toString()).isZero();
        assertThat(Files.isSymbolicLink(dangling)).isTrue();
        assertThat(Files.readAllBytes(dir.resolve("made.bin"))).isEqualTo(content);
    }

    @Test
    void aFifoIsWrittenThroughNotReplaced() throws Exception {
        Path fifo = dir.resolve("pipe");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(mkfifo.waitFor()).isZero();
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = Files.newInputStream(fifo)) {
                return in.readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });

        CliHarness.Result cat = mlv.run("store", "cat", "--store", "s", oid, "-o", "pipe");
        assertThat(cat.exitCode()).as(cat.toString()).isZero();
        assertThat(read.get(30, TimeUnit.SECONDS)).isEqualTo(content);
        assertThat(Files.isRegularFile(fifo, LinkOption.NOFOLLOW_LINKS)).as("still a FIFO").isFalse();
        assertThat(Files.exists(fifo, LinkOption.NOFOLLOW_LINKS)).isTrue();
    }

    @Test
    void aRegularFileIsReplacedWholeAndADirectoryIsRefused() throws Exception {
        Path out = Files.writeString(dir.resolve("out.bin"), "previous content");
        CliHarness.Result cat = mlv.run("store", "cat", "--store", "s", oid, "-o", "out.bin");
        assertThat(cat.exitCode()).as(cat.toString()).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(content);

        Files.createDirectories(dir.resolve("folder"));
        CliHarness.Result refused = mlv.run("store", "cat", "--store", "s", oid, "-o", "folder");
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.stderr()).contains("is a directory");
        try (var listing = Files.list(dir.resolve("folder"))) {
            assertThat(listing).isEmpty();
        }
        assertThat(Files.readString(dir.resolve("real.bin").resolveSibling("out.bin"), StandardCharsets.ISO_8859_1))
                .hasSize(content.length);
    }
}
