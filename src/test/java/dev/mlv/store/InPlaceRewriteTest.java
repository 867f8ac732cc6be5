package dev.mlv.store;

import static dev.mlv.store.StoreTestData.random;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ChunkStore#rewriteInPlace}: the old version's file turned into the new version by
 * rewriting the ranges where they differ, its length following the new version's; refused, with
 * nothing written, when too much differs.
 */
class InPlaceRewriteTest {
    @TempDir
    Path dir;

    /** Rewrites {@code file} (holding {@code previous}) into {@code target}; the staging file is left in dir. */
    private boolean rewrite(ChunkStore store, Pointer target, Pointer previous, Path file) throws IOException {
        Path staging = dir.resolve("staging.tmp");
        Files.deleteIfExists(staging);
        try (FileChannel out = FileChannel.open(staging, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             FileChannel in = FileChannel.open(staging, StandardOpenOption.READ);
             FileChannel f = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return store.rewriteInPlace(target.oid(), target.size(), out, in, previous.oid(), f, ProgressListener.NONE);
        }
    }

    @Test
    void aFewRewrittenRangesAreAllThatChangeAndTheLengthFollowsTheNewVersion() throws IOException {
        byte[] v1 = random(41, 3_000_000);
        byte[] v2 = v1.clone();
        System.arraycopy(random(42, 30_000), 0, v2, 700_000, 30_000);
        byte[] longer = Arrays.copyOf(v2, v2.length + 200_000);
        System.arraycopy(random(43, 200_000), 0, longer, v2.length, 200_000);
        byte[] shorter = Arrays.copyOf(v1, 2_500_000);
        Path file = Files.write(dir.resolve("model.bin"), v1);
        try (ChunkStore store = ChunkStore.init(dir.resolve("store"))) {
            Pointer p1 = store.put(new ByteArrayInputStream(v1)).pointer();
            Pointer p2 = store.put(new ByteArrayInputStream(v2)).pointer();
            Pointer pLonger = store.put(new ByteArrayInputStream(longer)).pointer();
            Pointer pShorter = store.put(new ByteArrayInputStream(shorter)).pointer();

            assertThat(rewrite(store, p2, p1, file)).isTrue();
            assertThat(Files.readAllBytes(file)).isEqualTo(v2);
            assertThat(Files.size(dir.resolve("staging.tmp"))).as("only the rewritten range was staged")
                    .isLessThan(1_000_000);
            assertThat(rewrite(store, pLonger, p2, file)).isTrue();
            assertThat(Files.readAllBytes(file)).isEqualTo(longer);
            assertThat(rewrite(store, pShorter, pLonger, file)).isTrue();
            assertThat(Files.readAllBytes(file)).isEqualTo(shorter);
        }
    }

    @Test
    void aVersionThatDiffersInMoreThanAQuarterIsRefusedWithNothingWritten() throws IOException {
        byte[] v1 = random(44, 2_000_000);
        byte[] v2 = v1.clone();
        System.arraycopy(random(45, 800_000), 0, v2, 100_000, 800_000);
        Path file = Files.write(dir.resolve("model.bin"), v1);
        try (ChunkStore store = ChunkStore.init(dir.resolve("store"))) {
            Pointer p1 = store.put(new ByteArrayInputStream(v1)).pointer();
            Pointer p2 = store.put(new ByteArrayInputStream(v2)).pointer();
            assertThat(rewrite(store, p2, p1, file)).isFalse();
            assertThat(Files.readAllBytes(file)).isEqualTo(v1);
            assertThat(Files.size(dir.resolve("staging.tmp"))).isZero();
        }
    }
}
