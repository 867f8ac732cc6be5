package dev.mlv.store;

import static dev.mlv.store.StoreTestData.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlv.store.manifest.Manifest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files a download writes out whole: whatever the order the chunks arrive in, a file is handed
 * over only when it hashes to its oid, and everything not handed over is removed.
 */
class DownloadedFilesTest {
    @TempDir
    Path tmp;
    private ChunkStore store;
    private Path out;

    @BeforeEach
    void setUp() throws IOException {
        store = ChunkStore.init(tmp.resolve("store"));
        out = Files.createDirectories(tmp.resolve("out"));
    }

    private Manifest put(byte[] data) throws IOException {
        return store.manifest(store.put(new ByteArrayInputStream(data)).pointer().oid());
    }

    private static byte[] id(Manifest m, int i) {
        return java.util.Arrays.copyOfRange(m.idBytes(), i * 32, i * 32 + 32);
    }

    /** Chunk {@code i} of {@code m} as one fetched range would deliver it. */
    private static void arrive(DownloadedFiles files, Manifest m, byte[] data, int i) throws IOException {
        try (DownloadedFiles.Batch b = files.batch()) {
            b.write(id(m, i), data, (int) m.chunkStart(i), m.chunkLength(i));
            b.finish();
        }
    }

    @Test
    void chunksInAnyOrderMakeTheWholeFileCheckedAgainstItsOid() throws IOException {
        byte[] a = random(1, 700_000);
        byte[] b = random(2, 500_000);
        Manifest ma = put(a);
        Manifest mb = put(b);
        assertThat(ma.chunkCount()).as("several chunks, to arrive out of order").isGreaterThan(3);
        try (DownloadedFiles files = new DownloadedFiles(out)) {
            assertThat(files.plan(ma)).isTrue();
            assertThat(files.plan(mb)).isTrue();
            assertThat(files.plan(ma)).as("planned once").isFalse();
            // a: last chunk first, then the rest in order (hashed from where the file is read back)
            List<Integer> order = new ArrayList<>();
            order.add(ma.chunkCount() - 1);
            for (int i = 0; i < ma.chunkCount() - 1; i++) {
                order.add(i);
            }
            for (int i : order) {
                assertThat(files.checked(ma.oid())).isFalse();
                arrive(files, ma, a, i);
            }
            // b: in order, hashed as it arrives
            for (int i = 0; i < mb.chunkCount(); i++) {
                arrive(files, mb, b, i);
            }
            assertThat(files.checked(ma.oid())).isTrue();
            assertThat(files.checked(mb.oid())).isTrue();
            Map<Oid, Path> done = files.handOver();
            assertThat(Files.readAllBytes(done.get(ma.oid()))).isEqualTo(a);
            assertThat(Files.readAllBytes(done.get(mb.oid()))).isEqualTo(b);
        }
        try (var left = Files.list(out)) {
            assertThat(left.count()).as("handed over: the caller's to remove").isEqualTo(2);
        }
    }

    @Test
    void aChunkSharedByTwoFilesIsWrittenIntoBoth() throws IOException {
        byte[] a = random(3, 400_000);
        byte[] b = java.util.Arrays.copyOf(a, a.length + 50_000); // the same start: shared chunks
        System.arraycopy(random(4, 50_000), 0, b, a.length, 50_000);
        Manifest ma = put(a);
        Manifest mb = put(b);
        try (DownloadedFiles files = new DownloadedFiles(out)) {
            files.plan(ma);
            files.plan(mb);
            // each distinct chunk arrives once, as a download fetches it
            java.util.Set<ChunkId> sent = new java.util.HashSet<>();
            for (Manifest m : List.of(mb, ma)) {
                byte[] data = m == ma ? a : b;
                for (int i = 0; i < m.chunkCount(); i++) {
                    if (sent.add(ChunkId.of(m.idBytes(), i * 32))) {
                        arrive(files, m, data, i);
                    }
                }
            }
            assertThat(sent.size()).isLessThan(ma.chunkCount() + mb.chunkCount());
            Map<Oid, Path> done = files.handOver();
            assertThat(Files.readAllBytes(done.get(ma.oid()))).isEqualTo(a);
            assertThat(Files.readAllBytes(done.get(mb.oid()))).isEqualTo(b);
        }
    }

    @Test
    void aFileThatDoesNotHashToItsOidIsRefusedAndRemoved() throws IOException {
        byte[] a = random(5, 600_000);
        Manifest ma = put(a);
        byte[] wrong = a.clone();
        int last = ma.chunkCount() - 1;
        wrong[(int) ma.chunkStart(last)] ^= 1; // as if the manifest named the wrong chunk there
        try (DownloadedFiles files = new DownloadedFiles(out)) {
            files.plan(ma);
            for (int i = 0; i < last; i++) {
                arrive(files, ma, a, i);
            }
            assertThatThrownBy(() -> arrive(files, ma, wrong, last))
                    .isInstanceOf(CorruptContentException.class)
                    .hasMessageContaining(ma.oid().hex()).hasMessageContaining("the manifest is damaged");
            assertThat(files.checked(ma.oid())).isFalse();
            assertThat(files.handOver()).isEmpty();
        }
        try (var left = Files.list(out)) {
            assertThat(left.toList()).as("closing removes what was not handed over").isEmpty();
        }
    }
}
