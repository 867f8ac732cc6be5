package dev.mlv.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
 * {@link CheckoutFile}: the file behind a checkout's stream, the replaced file removed only
 * when the checkout's temporary file is the one for its name and it is still as offered, and a
 * file rewritten in place only when nothing else links to it and still the one rewritten when it
 * takes the temporary file's place.
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

    @Test
    @EnabledOnOs(OS.LINUX) // needs the descriptor field (java.io opened, as the jar's manifest does) and unix:nlink
    void aFileIsRewrittenInPlaceOnlyForItsOwnTemporaryFileAndWithoutOtherLinks() throws IOException {
        Path models = Files.createDirectories(dir.resolve("models"));
        Path model = Files.write(models.resolve("model.bin"), new byte[] {1, 2, 3});
        RepoContent.PreviousFile offered = RepoContent.PreviousFile.of(model, OID);

        assertThat(CheckoutFile.mayRewriteInPlace(models.resolve("._model.bin42.tmp"), offered)).isTrue();
        assertThat(CheckoutFile.mayRewriteInPlace(models.resolve("._other.bin42.tmp"), offered)).isFalse();
        assertThat(CheckoutFile.mayRewriteInPlace(models.resolve("._model.bin42.tmp"), null)).isFalse();
        Path link = Files.createLink(dir.resolve("kept.bin"), model);
        assertThat(CheckoutFile.mayRewriteInPlace(models.resolve("._model.bin42.tmp"), offered))
                .as("another hard link would see the rewrite").isFalse();
        Files.delete(link);
        assertThat(CheckoutFile.mayRewriteInPlace(models.resolve("._model.bin42.tmp"), offered)).isTrue();
    }

    @Test
    void theRewrittenFileTakesTheTemporaryFilesPlaceUnlessItWasReplacedMeanwhile() throws IOException {
        Path models = Files.createDirectories(dir.resolve("models"));
        Path model = Files.write(models.resolve("model.bin"), new byte[] {1, 2, 3});
        Path tmp = Files.write(models.resolve("._model.bin42.tmp"), new byte[0]);
        RepoContent.PreviousFile rewritten = RepoContent.PreviousFile.of(model, OID);

        Path other = Files.write(models.resolve("other.bin"), new byte[] {9});
        Files.move(other, model, java.nio.file.StandardCopyOption.REPLACE_EXISTING); // another program's file now
        assertThatThrownBy(() -> CheckoutFile.takeOver(tmp, rewritten)).isInstanceOf(IOException.class)
                .hasMessageContaining("replaced");
        assertThat(Files.readAllBytes(model)).containsExactly(9);
        assertThat(tmp).exists();

        RepoContent.PreviousFile current = RepoContent.PreviousFile.of(model, OID);
        CheckoutFile.takeOver(tmp, current);
        assertThat(model).doesNotExist();
        assertThat(Files.readAllBytes(tmp)).containsExactly(9);
    }
}
