package dev.mlv.store;

import static dev.mlv.store.StoreTestData.random;
import static dev.mlv.store.StoreTestData.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlv.store.backend.LocalBackend;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads straight from a store remote: a read fetches only the chunks it covers, every chunk is
 * checked against its id (from the remote and from the cache), the cache stays within its bound,
 * and nothing enters the local store.
 */
class LazyContentTest {
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;
    Path remoteDir;
    byte[] model;
    Oid oid;

    @BeforeEach
    void pushAModel() throws IOException {
        remoteDir = dir.resolve("remote");
        model = random(71, 12 * (int) MIB + 5);
        try (ChunkStore local = ChunkStore.init(dir.resolve("pusher"));
             RemoteStore remote = remote("push-cache")) {
            oid = local.put(new ByteArrayInputStream(model)).pointer().oid();
            new StoreTransfer(local, remote).upload(List.of(oid), false);
        }
    }

    private RemoteStore remote(String cache) throws IOException {
        return RemoteStore.open(new LocalBackend(remoteDir), dir.resolve(cache), StoreOptions.defaults(), 0, 1);
    }

    private static byte[] read(SeekableByteChannel ch, long at, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        ch.position(at);
        while (buf.hasRemaining() && ch.read(buf) >= 0) {
            // until full or at the end
        }
        return Arrays.copyOf(buf.array(), buf.position());
    }

    @Test
    void aRandomReadFetchesOnlyTheChunksItCoversAndNothingEntersTheLocalStore() throws IOException {
        try (ChunkStore empty = ChunkStore.init(dir.resolve("reader"));
             RemoteStore remote = remote("reader-cache");
             LazyContent lazy = LazyContent.open(empty, remote, dir.resolve("chunks"), 64 * MIB, 2, 8 * MIB)) {
            assertThat(lazy.size(oid)).isEqualTo(model.length);
            try (SeekableByteChannel ch = lazy.openChannel(oid)) {
                // one read far from the start: not sequential, so no read-ahead (a second read right
                // after it would count as sequential and start one, racing the stats below)
                int at = (int) (7 * MIB + 1234);
                ch.position(at);
                ByteBuffer buf = ByteBuffer.allocate(4096);
                int n = ch.read(buf);
                assertThat(n).isPositive();
                assertThat(Arrays.copyOf(buf.array(), n)).isEqualTo(Arrays.copyOfRange(model, at, at + n));
            }
            LazyContent.Stats s = lazy.stats();
            assertThat(s.fetchedChunks()).isBetween(1L, 3L);
            assertThat(s.fetchedBytes()).isLessThan(1 * MIB);
            assertThat(empty.has(oid)).isFalse();
            assertThat(empty.list()).isEmpty();
        }
    }

    @Test
    void aSequentialReadReadsAheadAndReturnsEveryByte() throws IOException {
        try (ChunkStore empty = ChunkStore.init(dir.resolve("reader"));
             RemoteStore remote = remote("reader-cache");
             LazyContent lazy = LazyContent.open(empty, remote, dir.resolve("chunks"), 64 * MIB, 3, 8 * MIB);
             SeekableByteChannel ch = lazy.openChannel(oid)) {
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            for (long at = 0; at < model.length; at += 128 << 10) { // as the kernel asks
                all.write(read(ch, at, 128 << 10));
            }
            assertThat(all.toByteArray()).isEqualTo(model);
            LazyContent.Stats s = lazy.stats();
            assertThat(s.fetchedChunks()).isEqualTo(s.cachedChunks());
            // read-ahead brought most chunks in ranges of many chunks (a read's own fetch covers two or three)
            assertThat(s.ranges()).isLessThan(s.fetchedChunks() / 4);
        }
    }

    @Test
    void theCacheStaysWithinItsBoundAndIsReusedByTheNextProcessOnly() throws IOException {
        long bound = 4 * MIB;
        try (ChunkStore empty = ChunkStore.init(dir.resolve("reader"));
             RemoteStore remote = remote("reader-cache")) {
            try (LazyContent lazy = LazyContent.open(empty, remote, dir.resolve("chunks"), bound, 2, 2 * MIB)) {
                assertThatThrownBy(() -> LazyContent.open(empty, remote, dir.resolve("chunks"), bound, 2, 2 * MIB))
                        .isInstanceOf(LockBusyException.class);
                try (SeekableByteChannel ch = lazy.openChannel(oid)) {
                    assertThat(read(ch, 0, model.length)).isEqualTo(model);
                }
                LazyContent.Stats s = lazy.stats();
                assertThat(s.cachedBytes()).isLessThanOrEqualTo(bound);
                assertThat(s.evictedChunks()).isPositive();
                assertThat(sizeOf(dir.resolve("chunks/chunks"))).isLessThanOrEqualTo(bound);
            }
            // the last chunks stayed: read again, they come from the cache
            try (LazyContent again = LazyContent.open(empty, remote, dir.resolve("chunks"), bound, 2, 2 * MIB);
                 SeekableByteChannel ch = again.openChannel(oid)) {
                int at = model.length - 100_000;
                ch.position(at - 1); // not from the start: no read-ahead
                ch.read(ByteBuffer.allocate(1));
                assertThat(read(ch, at, 100_000)).isEqualTo(Arrays.copyOfRange(model, at, model.length));
                assertThat(again.stats().fetchedChunks()).isZero();
                assertThat(again.stats().cacheHits()).isPositive();
            }
        }
    }

    @Test
    void aDamagedCachedChunkIsFetchedAgainAndADamagedRemoteChunkFailsTheRead() throws IOException {
        try (ChunkStore empty = ChunkStore.init(dir.resolve("reader"));
             RemoteStore remote = remote("reader-cache")) {
            try (LazyContent lazy = LazyContent.open(empty, remote, dir.resolve("chunks"), 64 * MIB, 2, 8 * MIB);
                 SeekableByteChannel ch = lazy.openChannel(oid)) {
                assertThat(read(ch, 0, 10_000)).isEqualTo(Arrays.copyOf(model, 10_000));
            }
            List<Path> cached;
            try (Stream<Path> files = Files.walk(dir.resolve("chunks/chunks"))) {
                cached = files.filter(Files::isRegularFile).toList();
            }
            assertThat(cached).isNotEmpty();
            for (Path p : cached) {
                byte[] b = Files.readAllBytes(p);
                b[b.length / 2] ^= 1; // same length, wrong bytes: as a crash could leave it
                Files.write(p, b);
            }
            try (LazyContent lazy = LazyContent.open(empty, remote, dir.resolve("chunks"), 64 * MIB, 2, 8 * MIB);
                 SeekableByteChannel ch = lazy.openChannel(oid)) {
                assertThat(read(ch, 0, model.length)).isEqualTo(model);
                assertThat(lazy.stats().cacheHits()).isZero();
            }

            // now the remote's pack: every chunk's data damaged
            try (Stream<Path> files = Files.walk(remoteDir.resolve("packs"))) {
                for (Path pack : files.filter(Files::isRegularFile).toList()) {
                    byte[] b = Files.readAllBytes(pack);
                    for (int i = 100; i < b.length - 100; i += 1000) {
                        b[i] ^= 0x55;
                    }
                    Files.write(pack, b);
                }
            }
            try (LazyContent lazy = LazyContent.open(empty, remote, dir.resolve("other-chunks"), 64 * MIB, 2, 8 * MIB);
                 SeekableByteChannel ch = lazy.openChannel(oid)) {
                assertThatThrownBy(() -> read(ch, 3 * MIB, 4096)).isInstanceOf(CorruptContentException.class);
            }
        }
    }

    @Test
    void compressedChunksAndFilesTheLocalStoreHasAreReadToo() throws IOException {
        byte[] csv = text(5, 3 * (int) MIB);
        Oid textOid;
        try (ChunkStore local = ChunkStore.init(dir.resolve("pusher"));
             RemoteStore remote = remote("push-cache")) {
            textOid = local.put(new ByteArrayInputStream(csv)).pointer().oid();
            new StoreTransfer(local, remote).upload(List.of(textOid), false);
        }
        try (ChunkStore reader = ChunkStore.init(dir.resolve("reader"));
             RemoteStore remote = remote("reader-cache");
             LazyContent lazy = LazyContent.open(reader, remote, dir.resolve("chunks"), 64 * MIB, 2, 8 * MIB)) {
            try (SeekableByteChannel ch = lazy.openChannel(textOid)) {
                assertThat(read(ch, 0, csv.length)).isEqualTo(csv);
            }
            Oid own = reader.put(new ByteArrayInputStream(random(9, 300_000))).pointer().oid();
            long fetched = lazy.stats().fetchedChunks();
            try (SeekableByteChannel ch = lazy.openChannel(own)) {
                assertThat(read(ch, 0, 300_000)).isEqualTo(random(9, 300_000));
            }
            assertThat(lazy.stats().fetchedChunks()).isEqualTo(fetched);
            assertThatThrownBy(() -> lazy.openChannel(StoreTestData.sha256(new byte[] {1, 2, 3})))
                    .isInstanceOf(ContentNotFoundException.class);
        }
    }

    private static long sizeOf(Path top) throws IOException {
        try (Stream<Path> files = Files.walk(top)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
