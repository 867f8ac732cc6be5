package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.stream.Stream;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.util.FS;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * status after a {@code touch}: a large file whose stat data changed but not its bytes is found
 * unchanged by one SHA-256 pass, without storing anything, and its index entry takes the new stat
 * data so the next status trusts it; a rewrite of the same size is still a change.
 */
class StatusAfterTouchTest {
    @TempDir
    Path root;
    Path repo;
    CliHarness mlv;

    @BeforeEach
    void init() {
        repo = root.resolve("proj");
        mlv = CliHarness.inNewRepository(root, "proj");
    }


    private DirCacheEntry indexEntry(String path) throws IOException {
        return DirCache.read(repo.resolve(".git/index").toFile(), FS.DETECTED).getEntry(path);
    }

    private long storeFiles() throws IOException {
        try (Stream<Path> s = Files.walk(repo.resolve(".git/mlv/store"))) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void aTouchedModelIsCleanAndItsIndexEntryTakesTheNewTimeSoTheNextStatusReadsNothing() throws Exception {
        Path model = repo.resolve("models/model.bin");
        Files.write(model, CliHarness.randomBytes(3_000_000, 31));
        mlv.ok("train-commit", "-m", "v1");
        long filesBefore = storeFiles();
        // earlier than now: a time at or after the index's own would be racily clean, and JGit would
        // mark the entry again when writing the index (checked again next time, as git does)
        FileTime touched = FileTime.from(Instant.ofEpochSecond(Instant.now().getEpochSecond() - 60, 123_000_000));
        Files.setLastModifiedTime(model, touched);

        assertThat(mlv.ok("status", "--json").stdout()).contains("\"clean\" : true");
        DirCacheEntry entry = indexEntry("models/model.bin");
        assertThat(entry.getLastModifiedInstant()).as("refreshed stat data").isEqualTo(touched.toInstant());
        assertThat(entry.getLength()).isEqualTo(3_000_000);
        assertThat(storeFiles()).as("nothing stored or locked in the store").isEqualTo(filesBefore);
        assertThat(mlv.ok("status", "--json").stdout()).contains("\"clean\" : true");
    }

    @Test
    void aTouchInTheIndexsTimestampSlotLeavesTheEntryMarkedRacilyCleanAndStillClean() throws Exception {
        Path model = repo.resolve("models/model.bin");
        Files.write(model, CliHarness.randomBytes(1_500_000, 34));
        mlv.ok("train-commit", "-m", "v1");
        Files.setLastModifiedTime(model, FileTime.from(Instant.now().plusSeconds(30)));

        assertThat(mlv.ok("status", "--json").stdout()).contains("\"clean\" : true");
        assertThat(indexEntry("models/model.bin").isSmudged()).as("not trusted until the index is newer than the file").isTrue();
        assertThat(mlv.ok("status", "--json").stdout()).contains("\"clean\" : true");
    }

    @Test
    void aRewriteOfTheSameSizeIsStillAChange() throws Exception {
        Path model = repo.resolve("models/model.bin");
        Files.write(model, CliHarness.randomBytes(2_000_000, 32));
        mlv.ok("train-commit", "-m", "v1");
        Instant committed = indexEntry("models/model.bin").getLastModifiedInstant();
        Files.write(model, CliHarness.randomBytes(2_000_000, 33));
        Files.setLastModifiedTime(model, FileTime.from(Instant.now().minusSeconds(70)));

        assertThat(mlv.ok("status", "--json").stdout()).contains("\"path\" : \"models/model.bin\"").contains("\"modified\"");
        assertThat(indexEntry("models/model.bin").getLastModifiedInstant()).as("a changed file's entry is left alone")
                .isEqualTo(committed);
    }
}
