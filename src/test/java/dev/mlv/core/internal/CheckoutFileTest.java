package dev.mlv.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlv.store.Oid;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CheckoutFile}: the file behind a checkout's stream, and the replaced file removed only
 * when the checkout's temporary file is the one for its name and it is still as offered.
 */
class CheckoutFileTest {
    private static final Oid OID = Oid.fromHex("a".repeat(64));

    @TempDir
    Path dir;

    @Test
    @EnabledOnOs(OS.LINUX) // the build's tests open java.io as the jar's manifest does (pom.xml's argLine)
    void theStreamsFileIsFoundWhileItIsEmpty() throws IOException {
        Path tmp = dir.resolve("._model.bin123.tmp");
        try (FileOutputStream out = new FileOutputStream(tmp.toFile())) {
            assertThat(CheckoutFile.of(out)).isEqualTo(tmp.toRealPath());
            CheckoutFile.settle(tmp);
            out.write(1);
            out.flush();
            assertThat(CheckoutFile.of(out)).as("a file already written to is not a fresh checkout file").isNull();
        }
        assertThat(Files.readAllBytes(tmp)).containsExactly(1);
    }

    @Test
    void theReplacedFileIsRemovedOnlyForItsOwnTemporaryFileAndWhenUnchanged() throws IOException {
        Path models = Files.createDirectories(dir.resolve("models"));
        Path model = Files.write(models.resolve("model.bin"), new byte[] {1, 2, 3});
        RepoContent.PreviousFile offered = RepoContent.PreviousFile.of(model, OID);

        assertThat(CheckoutFile.releaseReplaced(models.resolve("._other.bin42.tmp"), offered)).isFalse();
        assertThat(CheckoutFile.releaseReplaced(models.resolve("._model.binx42.tmp"), offered)).isFalse();
        assertThat(CheckoutFile.releaseReplaced(Files.createDirectories(dir.resolve("elsewhere")).resolve("._model.bin42.tmp"),
                offered)).isFalse();
        assertThat(model).exists();

        Files.setLastModifiedTime(model, FileTime.fromMillis(Files.getLastModifiedTime(model).toMillis() - 5_000));
        assertThat(CheckoutFile.releaseReplaced(models.resolve("._model.bin42.tmp"), offered))
                .as("a file touched since it was offered may hold other bytes: kept").isFalse();
        assertThat(model).exists();

        RepoContent.PreviousFile current = RepoContent.PreviousFile.of(model, OID);
        assertThat(CheckoutFile.releaseReplaced(models.resolve("._model.bin42.tmp"), current)).isTrue();
        assertThat(model).doesNotExist();
    }
}
