package dev.mlv.store;

import static dev.mlv.store.StoreTestData.random;
import static dev.mlv.store.StoreTestData.readAll;
import static dev.mlv.store.StoreTestData.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PutBatch}: many files, few packs, nothing referenced before it is durable. */
class PutBatchTest {
    @TempDir
    Path dir;

    @Test
    void manySmallFilesShareAFewPacks() throws IOException {
        List<byte[]> files = new ArrayList<>();
        List<Pointer> pointers = new ArrayList<>();
        try (ChunkStore store = ChunkStore.init(dir)) {
            try (PutBatch batch = store.batch(ProgressListener.NONE)) {
                for (int i = 0; i < 300; i++) {
                    byte[] data = random(i, 1 + (i * 7919) % 150_000);
                    files.add(data);
                    pointers.add(batch.put(new ByteArrayInputStream(data)).pointer());
                }
                // a file larger than one read buffer goes through the threaded pipeline, same pack
                byte[] big = random(999, 9 * 1024 * 1024 + 5);
                files.add(big);
                pointers.add(batch.put(new ByteArrayInputStream(big)).pointer());
                assertThat(store.has(pointers.get(0).oid())).as("not durable before flush").isFalse();
                batch.flush();
            }
            assertThat(count("packs")).as("packs for 301 files, about 31 MB").isEqualTo(1);
            for (int i = 0; i < files.size(); i++) {
                assertThat(pointers.get(i)).isEqualTo(new Pointer(sha256(files.get(i)), files.get(i).length));
                try (InputStream in = store.open(pointers.get(i).oid())) {
                    assertThat(readAll(in)).isEqualTo(files.get(i));
                }
            }
            assertThat(store.verify().ok()).isTrue();
        }
    }

    @Test
    void smallFilesCreateNoStagingFilePerManifest() throws IOException {
        try (ChunkStore store = ChunkStore.init(dir); PutBatch batch = store.batch(ProgressListener.NONE)) {
            List<Pointer> pointers = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                pointers.add(batch.put(new ByteArrayInputStream(random(i, 20_000 + i))).pointer());
            }
            // file creation was most of a small file's cost: only the open pack's staging file
            assertThat(count("tmp")).isEqualTo(1);
            batch.flush();
            // 50 manifests written as one bundle: one file and one sync instead of 50 of each
            assertThat(count("manifests")).isZero();
            assertThat(count("bundles")).isEqualTo(1);
            assertThat(store.list()).hasSize(50);
            assertThat(count("tmp")).isZero();
            for (Pointer p : pointers) {
                assertThat(store.verify(p.oid()).ok()).isTrue();
            }
        }
    }

    @Test
    void severalThreadsPutIntoOneBatchAtOnce() throws Exception {
        int threads = 4;
        int perThread = 40;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try (ChunkStore store = ChunkStore.init(dir); PutBatch batch = store.batch(ProgressListener.NONE)) {
            List<java.util.concurrent.Future<List<Pointer>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    List<Pointer> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        mine.add(batch.put(new ByteArrayInputStream(content(thread, i))).pointer());
                    }
                    return mine;
                }));
            }
            List<List<Pointer>> pointers = new ArrayList<>();
            for (var r : results) {
                pointers.add(r.get());
            }
            batch.flush();
            long distinct = 0;
            for (int t = 0; t < threads; t++) {
                for (int i = 0; i < perThread; i++) {
                    byte[] data = content(t, i);
                    assertThat(pointers.get(t).get(i)).isEqualTo(new Pointer(sha256(data), data.length));
                    try (InputStream in = store.open(pointers.get(t).get(i).oid())) {
                        assertThat(readAll(in)).isEqualTo(data);
                    }
                }
            }
            assertThat(store.verify().ok()).isTrue();
            // files every thread put (i % 4 == 0) were stored once: one manifest each
            assertThat(store.list()).hasSize(perThread / 4 + threads * (perThread - perThread / 4));
        } finally {
            pool.shutdownNow();
        }
    }

    /** Thread {@code t}'s file {@code i}: shared by all threads for every fourth i, one bigger than a read buffer. */
    private static byte[] content(int t, int i) {
        if (i % 4 == 0) {
            return random(10_000 + i, 30_000 + i * 1000);
        }
        if (t == 1 && i == 5) {
            return random(777, 5 * 1024 * 1024 + 3);
        }
        return random(1000 * t + i, 1 + (t * 7919 + i * 104729) % 200_000);
    }

    @Test
    void packsFillToThePackSizeThenANewOneStarts() throws IOException {
        StoreOptions opts = StoreOptions.defaults().withPackSize(1 << 20);
        try (ChunkStore store = ChunkStore.init(dir, opts); PutBatch batch = store.batch(ProgressListener.NONE)) {
            for (int i = 0; i < 40; i++) {
                batch.put(new ByteArrayInputStream(random(i, 200_000)));
            }
            batch.flush();
            assertThat(count("packs")).isBetween(7L, 9L); // 8 MB of random bytes in 1 MiB packs
        }
    }

    @Test
    void aBatchClosedWithoutFlushLeavesNothingReferencedAndNoStagingFiles() throws IOException {
        try (ChunkStore store = ChunkStore.init(dir)) {
            Pointer p;
            try (PutBatch batch = store.batch(ProgressListener.NONE)) {
                p = batch.put(new ByteArrayInputStream(random(1, 100_000))).pointer();
            }
            assertThat(store.has(p.oid())).isFalse();
            assertThat(count("manifests")).isZero();
            assertThat(count("packs")).isZero();
            assertThat(count("tmp")).isZero();
        }
    }

    @Test
    void aFailedPutStopsTheBatch() throws IOException {
        try (ChunkStore store = ChunkStore.init(dir); PutBatch batch = store.batch(ProgressListener.NONE)) {
            batch.put(new ByteArrayInputStream(random(1, 1000)));
            InputStream failing = new InputStream() {
                private int left = 6 * 1024 * 1024;

                @Override
                public int read() {
                    throw new UnsupportedOperationException();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (left <= 0) {
                        throw new IOException("disk went away");
                    }
                    int n = Math.min(len, left);
                    left -= n;
                    return n;
                }
            };
            assertThatThrownBy(() -> batch.put(failing)).isInstanceOf(IOException.class).hasMessageContaining("disk went away");
            assertThatThrownBy(batch::flush).isInstanceOf(IOException.class).hasMessageContaining("earlier put");
        }
        assertThat(count("manifests")).isZero();
    }

    private long count(String sub) throws IOException {
        Path p = dir.resolve(sub);
        if (!Files.exists(p)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(p)) {
            return s.filter(Files::isRegularFile).count();
        }
    }
}
