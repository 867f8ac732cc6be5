package dev.mlv.store;

import static dev.mlv.store.StoreTestData.readAll;
import static dev.mlv.store.StoreTestData.sha256;
import static dev.mlv.store.StoreTestData.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlv.store.chunk.ChunkerParams;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ChunkStore#append}: the same file, chunks and oid as a put of the whole, for the cost of the tail. */
class AppendTest {
    /** Small chunks (128 B to 2 KiB), so that small files have many. */
    private static final StoreOptions SMALL = StoreOptions.defaults().withChunkerParams(ChunkerParams.forTarget(1024));

    @TempDir
    Path dir;

    @Test
    void anAppendIsChunkForChunkThePutOfTheWholeFile() throws IOException {
        Random rnd = new Random(7);
        try (ChunkStore store = ChunkStore.init(dir.resolve("a"), SMALL);
             ChunkStore whole = ChunkStore.init(dir.resolve("b"), SMALL)) {
            for (int round = 0; round < 60; round++) {
                byte[] base = text(round, rnd.nextInt(20_000));
                byte[] tail = text(1000 + round, rnd.nextInt(5_000));
                byte[] all = concat(base, tail);
                PutResult b = round % 2 == 0 ? store.putAppendable(new ByteArrayInputStream(base))
                        : store.put(new ByteArrayInputStream(base)); // no kept state: recovered from the file
                PutResult r = store.append(b.pointer().oid(), base.length, new ByteArrayInputStream(tail));

                assertThat(r.pointer()).isEqualTo(new Pointer(sha256(all), all.length));
                try (InputStream in = store.open(r.pointer().oid())) {
                    assertThat(readAll(in)).isEqualTo(all);
                }
                PutResult w = whole.put(new ByteArrayInputStream(all));
                assertThat(store.manifest(r.pointer().oid()).idBytes())
                        .as("round %d: the chunks of a put of the whole file", round)
                        .isEqualTo(whole.manifest(w.pointer().oid()).idBytes());
            }
        }
    }

    @Test
    void chainedAppendsReadOnlyTheLastChunkOfWhatIsStored() throws IOException {
        try (ChunkStore store = ChunkStore.init(dir, SMALL)) {
            byte[] content = text(1, 400_000);
            Pointer p = store.putAppendable(new ByteArrayInputStream(content)).pointer();
            for (int i = 0; i < 20; i++) {
                byte[] rows = text(100 + i, 300);
                long readsBefore = store.chunkReads();
                p = store.append(p.oid(), p.size(), new ByteArrayInputStream(rows)).pointer();
                content = concat(content, rows);
                assertThat(store.chunkReads() - readsBefore)
                        .as("chunks read by append %d of a file of %d chunks", i, store.manifest(p.oid()).chunkCount())
                        .isEqualTo(1);
            }
            assertThat(p).isEqualTo(new Pointer(sha256(content), content.length));
            assertThat(store.verify(p.oid()).ok()).isTrue();
        }
    }

    @Test
    void aDamagedOrMissingStateIsRecomputedFromTheFile() throws IOException {
        try (ChunkStore store = ChunkStore.init(dir, SMALL)) {
            byte[] base = text(2, 50_000);
            Pointer p = store.putAppendable(new ByteArrayInputStream(base)).pointer();
            Path state = dir.resolve(StoreLayout.appendStateKey(p.oid()));
            byte[] bytes = Files.readAllBytes(state);
            bytes[70] ^= 0x40;
            Files.write(state, bytes);
            byte[] tail = text(3, 1000);
            long readsBefore = store.chunkReads();
            Pointer r = store.append(p.oid(), p.size(), new ByteArrayInputStream(tail)).pointer();
            assertThat(r).isEqualTo(new Pointer(sha256(concat(base, tail)), base.length + tail.length));
            assertThat(store.chunkReads() - readsBefore).as("the whole base was read again").isGreaterThan(10);

            Files.delete(dir.resolve(StoreLayout.appendStateKey(r.oid())));
            byte[] more = text(4, 10);
            Pointer r2 = store.append(r.oid(), r.size(), new ByteArrayInputStream(more)).pointer();
            assertThat(r2.oid()).isEqualTo(sha256(concat(concat(base, tail), more)));
        }
    }

    @Test
    void appendsToEmptyAndToTinyFilesAndOfNothing() throws IOException {
        try (ChunkStore store = ChunkStore.init(dir, SMALL)) {
            Pointer empty = store.putAppendable(new ByteArrayInputStream(new byte[0])).pointer();
            Pointer one = store.append(empty.oid(), 0, new ByteArrayInputStream(new byte[] {'x'})).pointer();
            assertThat(one).isEqualTo(new Pointer(sha256(new byte[] {'x'}), 1));
            Pointer same = store.append(one.oid(), 1, new ByteArrayInputStream(new byte[0])).pointer();
            assertThat(same).isEqualTo(one);
        }
    }

    @Test
    void aPointerWhoseSizeDisagreesIsRefused() throws IOException {
        try (ChunkStore store = ChunkStore.init(dir, SMALL)) {
            Pointer p = store.putAppendable(new ByteArrayInputStream(text(5, 3000))).pointer();
            assertThatThrownBy(() -> store.append(p.oid(), p.size() + 1, new ByteArrayInputStream(new byte[] {1})))
                    .isInstanceOf(CorruptContentException.class).hasMessageContaining("pointer says");
        }
    }

    @Test
    void gcRemovesTheStateWithItsManifest() throws IOException {
        try (ChunkStore store = ChunkStore.init(dir, SMALL)) {
            Pointer keep = store.putAppendable(new ByteArrayInputStream(text(6, 5000))).pointer();
            Pointer drop = store.putAppendable(new ByteArrayInputStream(text(7, 5000))).pointer();
            store.gc(java.util.Set.of(keep.oid()), java.time.Instant.now().plusSeconds(60), 0.0, false);
            assertThat(dir.resolve(StoreLayout.appendStateKey(keep.oid()))).exists();
            assertThat(dir.resolve(StoreLayout.appendStateKey(drop.oid()))).doesNotExist();
            assertThat(store.has(drop.oid())).isFalse();
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
