package dev.mlv.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlv.store.pack.MultiPackIndex;
import dev.mlv.testing.LogCapture;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The multi-pack index in a store: written by consolidation, read by lookups, consolidated again
 * as packs are added, rebuilt from the pack indexes when damaged, and never trusted for a pack
 * whose index is gone.
 */
class MultiPackIndexStoreTest {
    @TempDir
    Path dir;

    /** One pack per chunk: many packs from little data. */
    private static final StoreOptions TINY_PACKS = StoreOptions.defaults().withMaxChunksPerPack(1);

    private final List<byte[]> contents = new ArrayList<>();
    private final List<Oid> oids = new ArrayList<>();

    private void put(ChunkStore store, long seed, int size) throws IOException {
        byte[] content = StoreTestData.random(seed, size);
        contents.add(content);
        oids.add(store.put(new ByteArrayInputStream(content)).pointer().oid());
    }

    private void assertAllRead(ChunkStore store) throws IOException {
        for (int k = 0; k < oids.size(); k++) {
            try (InputStream in = store.open(oids.get(k))) {
                assertThat(in.readAllBytes()).as("file %d", k).isEqualTo(contents.get(k));
            }
        }
    }

    private Path midx() {
        return dir.resolve(StoreLayout.MULTI_PACK_INDEX);
    }

    private long indexFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("index"))) {
            return s.filter(p -> p.toString().endsWith(".idx")).count();
        }
    }

    @Test
    void writtenReadAndConsolidatedAsPacksAreAdded() throws IOException {
        try (ChunkStore store = ChunkStore.init(dir, TINY_PACKS)) {
            put(store, 1, 400_000);
            put(store, 2, 300_000);
            long packs = indexFiles();
            assertThat(packs).isGreaterThan(ChunkLookup.SEARCHED_ONE_BY_ONE);
            try (ChunkStore fresh = ChunkStore.open(dir, TINY_PACKS)) {
                assertAllRead(fresh); // no multi-pack index yet, more pack indexes than are searched one by one
                assertThat(fresh.catalog().separateIndexes()).isEqualTo(packs);
            }
            assertThat(store.consolidateIndexes(64)).as("fewer new packs than the threshold").isEqualTo(-1);
            assertThat(midx()).doesNotExist();
            long chunks = store.consolidateIndexes(1);
            assertThat(chunks).isEqualTo(store.stats().chunks()).isEqualTo(packs);
            assertThat(store.catalog().separateIndexes()).isZero();
            assertAllRead(store);
        }
        MultiPackIndex written = MultiPackIndex.open(midx(), "midx");
        written.verify();
        assertThat(written.packCount()).isEqualTo(indexFiles());

        try (ChunkStore store = ChunkStore.open(dir, TINY_PACKS)) {
            assertAllRead(store);
            assertThat(store.catalog().index().multiPackIndex()).isNotNull();
            assertThat(store.catalog().separateIndexes()).isZero();
            put(store, 3, 200_000); // new packs: searched on their own until the next consolidation
            long added = indexFiles() - written.packCount();
            assertThat(store.catalog().separateIndexes()).isEqualTo(added);
            assertAllRead(store);
            assertThat(store.consolidateIndexes((int) added + 1)).isEqualTo(-1);
            assertThat(store.consolidateIndexes((int) added)).isEqualTo(store.stats().chunks());
            assertThat(store.catalog().separateIndexes()).isZero();
            assertAllRead(store);
        }
        assertThat(MultiPackIndex.open(midx(), "midx").packCount()).isEqualTo(indexFiles());
    }

    @Test
    void commandsThatLookUpNoChunkOpenNoIndex() throws IOException {
        try (ChunkStore store = ChunkStore.init(dir, TINY_PACKS)) {
            put(store, 4, 100_000);
            store.consolidateIndexes(1);
        }
        try (ChunkStore store = ChunkStore.open(dir, TINY_PACKS)) {
            assertThat(store.has(oids.get(0))).isTrue();
            assertThat(store.list()).containsExactly(oids.get(0));
            assertThat(store.manifest(oids.get(0)).size()).isEqualTo(100_000);
            assertThat(store.indexOpened()).isFalse();
            assertAllRead(store);
            assertThat(store.indexOpened()).isTrue();
        }
    }

    @Test
    void aDamagedHeaderIsIgnoredWithAWarningAndRebuiltByTheNextWriter() throws IOException {
        try (ChunkStore store = ChunkStore.init(dir, TINY_PACKS)) {
            put(store, 5, 300_000);
            store.consolidateIndexes(1);
        }
        byte[] bytes = Files.readAllBytes(midx());
        bytes[0] = 'X';
        Files.write(midx(), bytes);
        try (LogCapture log = LogCapture.of(PackCatalog.class.getName());
             ChunkStore store = ChunkStore.open(dir, TINY_PACKS)) {
            assertAllRead(store);
            assertThat(log.lines()).anyMatch(l -> l.contains("ignoring the multi-pack index")
                    && l.contains("not a multi-pack index"));
            assertThat(store.maintainIndexes()).as("rebuilt though few packs are new").isEqualTo(store.stats().chunks());
        }
        MultiPackIndex.open(midx(), "rebuilt").verify();
        try (LogCapture log = LogCapture.of(PackCatalog.class.getName());
             ChunkStore store = ChunkStore.open(dir, TINY_PACKS)) {
            assertAllRead(store);
            assertThat(log.lines()).isEmpty();
        }
    }

    @Test
    void aDamagedRecordIsCaughtByTheChecksumAndTheFileRebuiltFromThePackIndexes() throws IOException {
        try (ChunkStore store = ChunkStore.init(dir, TINY_PACKS)) {
            put(store, 6, 300_000);
            put(store, 7, 200_000);
            store.consolidateIndexes(1);
        }
        MultiPackIndex m = MultiPackIndex.open(midx(), "m");
        long recordsAt = MultiPackIndex.HEADER_SIZE + (long) m.packCount() * MultiPackIndex.PACK_ENTRY_SIZE;
        byte[] bytes = Files.readAllBytes(midx());
        long n = m.count();
        for (long i = 0; i < n; i++) { // every entry offset wrong: the structure still opens
            int at = (int) (recordsAt + i * 56 + 32);
            ByteBuffer.wrap(bytes).putLong(at, ByteBuffer.wrap(bytes).getLong(at) + 1);
        }
        try (ChunkStore store = ChunkStore.open(dir, TINY_PACKS)) {
            assertThat(store.verify().problems()).as("a sound multi-pack index is no problem").isEmpty();
        }
        Files.write(midx(), bytes);
        try (ChunkStore store = ChunkStore.open(dir, TINY_PACKS)) {
            assertThat(store.verify().problems()).singleElement().asString().contains("multi-pack.midx", "checksum");
        }
        try (LogCapture log = LogCapture.of(PackCatalog.class.getName());
             ChunkStore store = ChunkStore.open(dir, TINY_PACKS)) {
            assertAllRead(store); // read through the pack indexes after the checksum failed
            assertThat(store.catalog().readChunk(store.manifest(oids.get(1)).idBytes(), 0)).isNotEmpty();
            assertThat(log.lines()).anyMatch(l -> l.contains("ignoring the multi-pack index") && l.contains("checksum"));
            assertThat(store.maintainIndexes()).isEqualTo(store.stats().chunks());
        }
        MultiPackIndex.open(midx(), "rebuilt").verify();
        try (ChunkStore store = ChunkStore.open(dir, TINY_PACKS)) {
            assertAllRead(store);
            assertThat(store.catalog().index().multiPackIndex()).isNotNull();
        }
    }

    @Test
    void aMissingOrTruncatedMultiPackIndexCostsNothingButSpeed() throws IOException {
        try (ChunkStore store = ChunkStore.init(dir, TINY_PACKS)) {
            put(store, 8, 300_000);
            store.consolidateIndexes(1);
        }
        byte[] bytes = Files.readAllBytes(midx());
        Files.write(midx(), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        try (ChunkStore store = ChunkStore.open(dir, TINY_PACKS)) {
            assertAllRead(store);
        }
        Files.delete(midx());
        try (LogCapture log = LogCapture.of(PackCatalog.class.getName());
             ChunkStore store = ChunkStore.open(dir, TINY_PACKS)) {
            assertAllRead(store);
            assertThat(log.lines()).as("no multi-pack index is no damage").isEmpty();
        }
    }

    @Test
    void aChunkItPlacesInARemovedPackIsFoundInAnotherPackItCovers() throws IOException {
        // The same chunks twice: in one pack (a plain put) and in one pack per chunk (another store's put).
        Path other = dir.resolveSibling(dir.getFileName() + "-other");
        byte[] content = StoreTestData.random(9, 250_000);
        try (ChunkStore store = ChunkStore.init(dir)) {
            contents.add(content);
            oids.add(store.put(new ByteArrayInputStream(content)).pointer().oid());
        }
        try (ChunkStore tiny = ChunkStore.init(other, TINY_PACKS)) {
            tiny.put(new ByteArrayInputStream(content));
        }
        for (String sub : List.of("packs", "index")) {
            try (Stream<Path> files = Files.walk(other.resolve(sub))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Path to = dir.resolve(other.relativize(f).toString());
                    Files.createDirectories(to.getParent());
                    Files.copy(f, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        try (ChunkStore store = ChunkStore.open(dir)) {
            store.consolidateIndexes(1);
            // Remove the pack the multi-pack index names for the first chunk (as a repair sets a pack aside).
            byte[] first = store.manifest(oids.get(0)).idBytes();
            MultiPackIndex m = store.catalog().index().multiPackIndex();
            byte[] named = m.packId(m.pack(m.find(first, 0)));
            Files.delete(dir.resolve(StoreLayout.indexKey(named)));
            Files.delete(dir.resolve(StoreLayout.packKey(named)));
        }
        try (ChunkStore store = ChunkStore.open(dir)) {
            assertAllRead(store);
            assertThat(store.consolidateIndexes(1)).as("rebuilt without the removed pack").isPositive();
            assertThat(MultiPackIndex.open(midx(), "m").packCount()).isEqualTo(indexFiles());
            assertAllRead(store);
        }
    }

    @Test
    void aReaderWhoseMultiPackIndexNamesPacksGcRemovedReloadsAndReads() throws IOException {
        byte[] shared = StoreTestData.random(10, 300_000);
        byte[] gone = StoreTestData.random(11, 300_000);
        byte[] kept;
        try (ChunkStore writer = ChunkStore.init(dir)) {
            // One pack holding a live file's chunks and a dead file's: gc must repack it.
            byte[] both = new byte[shared.length + gone.length];
            System.arraycopy(shared, 0, both, 0, shared.length);
            System.arraycopy(gone, 0, both, shared.length, gone.length);
            writer.put(new ByteArrayInputStream(both));
            kept = shared;
            contents.add(kept);
            oids.add(writer.put(new ByteArrayInputStream(kept)).pointer().oid());
            writer.consolidateIndexes(1);
            Path oldMidx = Files.copy(midx(), dir.resolve("old-midx"));
            try (ChunkStore reader = ChunkStore.open(dir)) {
                assertAllRead(reader); // maps the multi-pack index naming the pack gc is about to replace
                GcReport report = writer.gc(Set.of(oids.get(0)), Instant.now().plusSeconds(3600), 0.0, false);
                assertThat(report.merged()).as("both small packs rewritten into one").isNotEmpty();
                assertThat(MultiPackIndex.open(midx(), "after gc").packCount()).isEqualTo(indexFiles());
                assertAllRead(reader);
            }
            // A gc killed before it rewrote the multi-pack index: the old one names removed packs.
            Files.move(oldMidx, midx(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            try (ChunkStore reader = ChunkStore.open(dir)) {
                assertAllRead(reader);
            }
        }
    }
}
