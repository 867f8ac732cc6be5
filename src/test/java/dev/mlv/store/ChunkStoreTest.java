package dev.mlv.store;

import static dev.mlv.store.StoreTestData.random;
import static dev.mlv.store.StoreTestData.readAll;
import static dev.mlv.store.StoreTestData.sha256;
import static dev.mlv.store.StoreTestData.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlv.store.chunk.ChunkerParams;
import dev.mlv.store.manifest.Manifest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkStoreTest {
    @TempDir
    Path dir;

    private ChunkStore store() throws IOException {
        return ChunkStore.init(dir);
    }

    private static PutResult put(ChunkStore store, byte[] data) throws IOException {
        return store.put(new ByteArrayInputStream(data));
    }

    private static void assertRoundTrip(ChunkStore store, byte[] data) throws IOException {
        PutResult r = put(store, data);
        assertThat(r.pointer().oid()).isEqualTo(sha256(data));
        assertThat(r.pointer().size()).isEqualTo(data.length);
        assertThat(r.logicalBytes()).isEqualTo(data.length);
        assertThat(store.has(r.pointer().oid())).isTrue();
        try (InputStream in = store.open(r.pointer().oid())) {
            assertThat(readAll(in)).isEqualTo(data);
        }
    }

    @Test
    void roundTripsEdgeSizesAndContent() throws IOException {
        try (ChunkStore store = store()) {
            assertRoundTrip(store, new byte[0]);
            assertRoundTrip(store, new byte[] {42});
            assertRoundTrip(store, random(1, ChunkerParams.DEFAULT.minSize()));
            assertRoundTrip(store, random(2, ChunkerParams.DEFAULT.maxSize() + 1));
            assertRoundTrip(store, random(3, 6 * 1024 * 1024 + 123));
            assertRoundTrip(store, text(4, 3 * 1024 * 1024));
            assertThat(store.verify().problems()).isEmpty();
        }
    }

    @Test
    void emptyFileHasTheWellKnownOidAndNoChunks() throws IOException {
        try (ChunkStore store = store()) {
            PutResult r = put(store, new byte[0]);
            assertThat(r.pointer().oid().hex())
                    .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
            assertThat(r.chunks()).isZero();
            assertThat(r.packsWritten()).isZero();
        }
    }

    @Test
    void pipelineHandlesChunksSpanningSmallBuffers() throws IOException {
        // Tiny read buffers force most chunks to straddle buffer boundaries.
        StoreOptions opts = StoreOptions.defaults().withBuffers(10_000, 3);
        try (ChunkStore store = ChunkStore.init(dir, opts)) {
            byte[] data = random(5, 2 * 1024 * 1024 + 7);
            PutResult r = put(store, data);
            try (InputStream in = store.open(r.pointer().oid())) {
                assertThat(readAll(in)).isEqualTo(data);
            }
            // Same boundaries as with large buffers: a re-put through another instance dedupes fully.
            try (ChunkStore other = ChunkStore.open(dir)) {
                assertThat(put(other, data).newChunks()).isZero();
            }
        }
    }

    @Test
    void putFromPathEqualsPutFromStream() throws IOException {
        byte[] data = random(6, 1_000_000);
        Path file = Files.write(dir.resolve("input.bin"), data);
        try (ChunkStore store = ChunkStore.init(dir.resolve("store"))) {
            long[] progress = {0};
            PutResult r = store.put(file, bytes -> progress[0] += bytes);
            assertThat(r.pointer()).isEqualTo(new Pointer(sha256(data), data.length));
            assertThat(progress[0]).isEqualTo(data.length);
        }
    }

    @Test
    void compressibleContentIsStoredCompressedAndRandomIsNot() throws IOException {
        try (ChunkStore store = store()) {
            byte[] txt = text(7, 2 * 1024 * 1024);
            PutResult t = put(store, txt);
            assertThat(t.newBytes()).isLessThan(txt.length / 2);
            byte[] rnd = random(8, 2 * 1024 * 1024);
            PutResult r = put(store, rnd);
            assertThat(r.newBytes()).isEqualTo(rnd.length);
        }
    }

    @Test
    void rangeReadsAtChunkBoundaries() throws IOException {
        byte[] data = random(9, 3 * 1024 * 1024);
        try (ChunkStore store = store()) {
            Oid oid = put(store, data).pointer().oid();
            Manifest m = store.manifest(oid);
            assertThat(m.chunkCount()).isGreaterThan(5);
            try (SeekableByteChannel ch = store.openChannel(oid)) {
                assertThat(ch.size()).isEqualTo(data.length);
                for (int i = 1; i < m.chunkCount(); i++) {
                    long b = m.chunkStart(i);
                    assertThat(m.chunkAt(b)).isEqualTo(i);
                    assertThat(m.chunkAt(b - 1)).isEqualTo(i - 1);
                    assertThat(readRange(ch, b - 3, 7)).isEqualTo(Arrays.copyOfRange(data, (int) b - 3, (int) b + 4));
                    assertThat(readRange(ch, b, m.chunkLength(i)))
                            .isEqualTo(Arrays.copyOfRange(data, (int) b, (int) b + m.chunkLength(i)));
                }
                assertThat(readRange(ch, data.length - 1, 1)).containsExactly(data[data.length - 1]);
                ch.position(data.length);
                assertThat(ch.read(ByteBuffer.allocate(1))).isEqualTo(-1);
            }
        }
    }

    private static byte[] readRange(SeekableByteChannel ch, long pos, int len) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(len);
        ch.position(pos);
        while (buf.hasRemaining() && ch.read(buf) > 0) {
            // fill
        }
        return buf.array();
    }

    @Test
    void rePutStoresNothingNewAndCreatesNoPack() throws IOException {
        byte[] data = random(10, 4 * 1024 * 1024);
        try (ChunkStore store = store()) {
            PutResult first = put(store, data);
            assertThat(first.newChunks()).isEqualTo(first.chunks());
            List<Path> packsBefore = files("packs");
            PutResult again = put(store, data);
            assertThat(again.newBytes()).isZero();
            assertThat(again.newChunks()).isZero();
            assertThat(again.reusedBytes()).isEqualTo(data.length);
            assertThat(again.packsWritten()).isZero();
            assertThat(files("packs")).isEqualTo(packsBefore);
        }
    }

    @Test
    void insertionAtTheStartStoresOnlyAFewChunks() throws IOException {
        byte[] data = random(11, 4 * 1024 * 1024);
        byte[] edited = new byte[data.length + 37];
        System.arraycopy(random(12, 37), 0, edited, 0, 37);
        System.arraycopy(data, 0, edited, 37, data.length);
        try (ChunkStore store = store()) {
            put(store, data);
            PutResult r = put(store, edited);
            assertThat(r.newBytes()).isLessThan(edited.length / 10);
            assertThat(r.reusedBytes()).isGreaterThan(edited.length * 9L / 10);
            try (InputStream in = store.open(r.pointer().oid())) {
                assertThat(readAll(in)).isEqualTo(edited);
            }
        }
    }

    @Test
    void smallPacksRollOverAndStatsAddUp() throws IOException {
        StoreOptions opts = StoreOptions.defaults().withPackSize(512 * 1024).withMaxChunksPerPack(5);
        byte[] data = random(13, 3 * 1024 * 1024);
        try (ChunkStore store = ChunkStore.init(dir, opts)) {
            PutResult r = put(store, data);
            assertThat(r.packsWritten()).isGreaterThanOrEqualTo(6);
            put(store, data);
            StoreStats s = store.stats();
            assertThat(s.packs()).isEqualTo(r.packsWritten());
            assertThat(s.chunks()).isEqualTo(r.chunks());
            assertThat(s.files()).isEqualTo(1);
            assertThat(s.logicalBytes()).isEqualTo(data.length);
            assertThat(s.chunkBytes()).isEqualTo(data.length);
            assertThat(s.storedBytes()).isGreaterThan(data.length);
            assertThat(store.list()).containsExactly(r.pointer().oid());
            assertThat(store.verify().ok()).isTrue();
        }
    }

    @Test
    void deletedIndexIsRebuiltFromThePackFooter() throws IOException {
        StoreOptions opts = StoreOptions.defaults().withPackSize(1024 * 1024);
        byte[] data = random(14, 3 * 1024 * 1024);
        Oid oid;
        List<Path> indexes;
        byte[] original;
        try (ChunkStore store = ChunkStore.init(dir, opts)) {
            oid = put(store, data).pointer().oid();
            indexes = files("index");
            original = Files.readAllBytes(indexes.get(0));
        }
        Files.delete(indexes.get(0));
        try (ChunkStore store = ChunkStore.open(dir, opts)) {
            VerifyReport before = store.verify();
            assertThat(before.warnings()).hasSize(1);
            assertThat(before.problems()).isNotEmpty(); // the manifest's chunks in that pack are not findable
            assertThat(store.rebuildIndexes()).isEqualTo(1);
            assertThat(Files.readAllBytes(indexes.get(0))).isEqualTo(original);
            assertThat(store.verify().ok()).isTrue();
            try (InputStream in = store.open(oid)) {
                assertThat(readAll(in)).isEqualTo(data);
            }
        }
    }

    @Test
    void aFlippedByteInAPackIsDetectedOnReadAndByVerify() throws IOException {
        byte[] data = random(15, 1024 * 1024);
        Oid oid;
        try (ChunkStore store = store()) {
            oid = put(store, data).pointer().oid();
        }
        Path pack = files("packs").get(0);
        byte[] bytes = Files.readAllBytes(pack);
        bytes[8 + 44 + 1000] ^= 0x01; // inside the first chunk's data
        Files.write(pack, bytes);
        try (ChunkStore store = ChunkStore.open(dir)) {
            assertThatThrownBy(() -> readAll(store.open(oid))).isInstanceOf(CorruptContentException.class)
                    .hasMessageContaining("corrupt");
            try (SeekableByteChannel ch = store.openChannel(oid)) {
                assertThatThrownBy(() -> ch.read(ByteBuffer.allocate(10))).isInstanceOf(CorruptContentException.class);
            }
            VerifyReport report = store.verify();
            assertThat(report.ok()).isFalse();
            assertThat(report.problems()).anySatisfy(p -> assertThat(p.object()).contains("packs/"));
            assertThat(report.problems()).anySatisfy(p -> assertThat(p.message()).contains("references corrupt chunk"));
            assertThat(store.verify(oid).ok()).isFalse();
        }
    }

    @Test
    void damagedManifestIsDetectedByVerify() throws IOException {
        Oid oid;
        try (ChunkStore store = store()) {
            oid = put(store, random(16, 300_000)).pointer().oid();
        }
        Path manifest = files("manifests").get(0);
        byte[] bytes = Files.readAllBytes(manifest);
        bytes[20] ^= 0x40;
        Files.write(manifest, bytes);
        try (ChunkStore store = ChunkStore.open(dir)) {
            assertThat(store.verify().problems()).anySatisfy(p -> assertThat(p.message()).contains("checksum"));
            assertThatThrownBy(() -> store.open(oid)).isInstanceOf(CorruptContentException.class);
        }
    }

    @Test
    void missingContentIsNotFound() throws IOException {
        try (ChunkStore store = store()) {
            Oid absent = sha256(new byte[] {1, 2, 3});
            assertThat(store.has(absent)).isFalse();
            assertThatThrownBy(() -> store.open(absent)).isInstanceOf(ContentNotFoundException.class)
                    .hasMessageContaining(absent.hex());
        }
        assertThatThrownBy(() -> ChunkStore.open(dir.resolve("nothing-here")))
                .isInstanceOf(ContentNotFoundException.class);
    }

    @Test
    void refusesAStoreWithOtherChunkerParams() throws IOException {
        ChunkStore.init(dir, StoreOptions.defaults().withChunkerParams(ChunkerParams.forTarget(4096))).close();
        assertThat(Files.readString(dir.resolve("config.json"))).contains("\"targetSize\" : 4096");
        assertThatThrownBy(() -> ChunkStore.open(dir))
                .isInstanceOf(StoreConfigException.class)
                .hasMessageContaining("target=4096").hasMessageContaining("target=65536");
    }

    @Test
    void aFailingPutLeavesOnlyDurableObjectsAndCleansItsTempFiles() throws IOException {
        StoreOptions opts = StoreOptions.defaults().withPackSize(256 * 1024).withBuffers(64 * 1024, 3);
        byte[] data = random(17, 4 * 1024 * 1024);
        try (ChunkStore store = ChunkStore.init(dir, opts)) {
            long[] total = {0};
            assertThatThrownBy(() -> store.put(new ByteArrayInputStream(data), bytes -> {
                total[0] += bytes;
                if (total[0] > 2 * 1024 * 1024) {
                    throw new IllegalStateException("simulated crash");
                }
            })).hasMessage("simulated crash");
            assertThat(store.list()).isEmpty();
            assertThat(files("packs")).isNotEmpty();
            assertThat(files("tmp")).isEmpty();
            assertThat(store.verify().ok()).isTrue();
            // The chunks already packed are reused by the retry.
            PutResult retry = put(store, data);
            assertThat(retry.reusedBytes()).isGreaterThan(1024 * 1024);
            assertThat(store.verify().ok()).isTrue();
        }
    }

    @Test
    void anInputErrorFailsThePutWithThatError() throws IOException {
        try (ChunkStore store = store()) {
            InputStream failing = new InputStream() {
                int n;

                @Override
                public int read() throws IOException {
                    if (++n > 500_000) {
                        throw new IOException("disk on fire");
                    }
                    return n & 0xff;
                }
            };
            assertThatThrownBy(() -> store.put(failing)).isInstanceOf(IOException.class).hasMessage("disk on fire");
            assertThat(store.list()).isEmpty();
        }
    }

    private List<Path> files(String sub) throws IOException {
        Path d = dir.resolve(sub);
        if (!Files.exists(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(d)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
