package dev.mlv.store;

import static dev.mlv.store.StoreTestData.random;
import static dev.mlv.store.StoreTestData.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlv.testing.Slow;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several writers on one store at once, through separate instances and through one shared instance. */
@Slow
class ConcurrentWritersTest {
    @TempDir
    Path dir;

    /** Four files sharing a common 2 MiB middle, so writers race to store the same chunks. */
    private static List<byte[]> overlappingFiles() {
        byte[] shared = random(100, 2 * 1024 * 1024);
        List<byte[]> files = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            byte[] own = random(200 + i, 512 * 1024);
            byte[] f = new byte[own.length + shared.length];
            System.arraycopy(own, 0, f, 0, 300 * 1024);
            System.arraycopy(shared, 0, f, 300 * 1024, shared.length);
            System.arraycopy(own, 300 * 1024, f, 300 * 1024 + shared.length, own.length - 300 * 1024);
            files.add(f);
        }
        return files;
    }

    @Test
    void separateInstancesWritingOverlappingContentLeaveAValidStore() throws Exception {
        StoreOptions opts = StoreOptions.defaults().withPackSize(512 * 1024);
        ChunkStore.init(dir, opts).close();
        runConcurrently(i -> {
            try (ChunkStore s = ChunkStore.open(dir, opts)) {
                return s.put(new ByteArrayInputStream(overlappingFiles().get(i)));
            }
        });
        assertStoreHoldsAll(opts);
    }

    @Test
    void oneInstanceSharedByThreadsLeavesAValidStore() throws Exception {
        StoreOptions opts = StoreOptions.defaults().withPackSize(512 * 1024);
        try (ChunkStore s = ChunkStore.init(dir, opts)) {
            runConcurrently(i -> s.put(new ByteArrayInputStream(overlappingFiles().get(i))));
        }
        assertStoreHoldsAll(opts);
    }

    private interface Writer {
        PutResult write(int i) throws IOException;
    }

    private void runConcurrently(Writer writer) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CyclicBarrier start = new CyclicBarrier(4);
            List<Future<PutResult>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    start.await();
                    return writer.write(n);
                }));
            }
            for (Future<PutResult> f : results) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void assertStoreHoldsAll(StoreOptions opts) throws IOException {
        try (ChunkStore s = ChunkStore.open(dir, opts)) {
            VerifyReport report = s.verify();
            assertThat(report.problems()).isEmpty();
            assertThat(report.warnings()).isEmpty();
            for (byte[] f : overlappingFiles()) {
                try (InputStream in = s.open(StoreTestData.sha256(f))) {
                    assertThat(readAll(in)).isEqualTo(f);
                }
            }
            assertThat(s.list()).hasSize(4);
        }
        try (Stream<Path> tmp = Files.list(dir.resolve("tmp"))) {
            assertThat(tmp).isEmpty();
        }
    }
}
