package dev.mlv.store;

import static dev.mlv.store.StoreTestData.random;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlv.store.backend.Backend;
import dev.mlv.store.backend.ForwardingBackend;
import dev.mlv.store.backend.LocalBackend;
import dev.mlv.store.pack.MultiPackIndex;
import dev.mlv.store.pack.Slab;
import dev.mlv.testing.LogCapture;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store remote's multi-pack index: written by {@code gc --remote}, read by push from its
 * index cache (downloaded again only when the remote's differs), ignored when damaged and then
 * rebuilt by the next {@code gc --remote}; and a push after a repack, or after a gc killed before
 * it rewrote the file, still sends every chunk the remote lacks. {@link #check} runs each scenario
 * on a backend: a directory here, S3 in {@code RemoteMultiPackIndexS3Test}.
 */
class RemoteMultiPackIndexTest {
    static final String MIDX = StoreLayout.MULTI_PACK_INDEX;

    @TempDir
    Path tmp;
    ChunkStore local;
    byte[] x;
    byte[] y;
    Oid xOid;
    Oid yOid;
    Oid zOid;

    @BeforeEach
    void aLocalStoreWithThreeFiles() throws IOException {
        local = ChunkStore.init(tmp.resolve("local"));
        x = random(1, 700_000);
        y = random(2, 400_000);
        byte[] z = Arrays.copyOf(x, x.length + 300_000); // x's chunks and then some
        System.arraycopy(random(3, 300_000), 0, z, x.length, 300_000);
        xOid = local.put(new ByteArrayInputStream(x)).pointer().oid();
        yOid = local.put(new ByteArrayInputStream(y)).pointer().oid();
        zOid = local.put(new ByteArrayInputStream(z)).pointer().oid();
    }

    /** Counts the bytes read of the remote's multi-pack index. */
    static final class Counting extends ForwardingBackend {
        final AtomicLong midxBytesRead = new AtomicLong();

        Counting(Backend delegate) {
            super(delegate);
        }

        @Override
        public byte[] read(String key, long offset, int length) throws IOException {
            if (key.equals(MIDX)) {
                midxBytesRead.addAndGet(length);
            }
            return super.read(key, offset, length);
        }
    }

    RemoteStore open(Backend remote, String cache) throws IOException {
        return RemoteStore.open(remote, tmp.resolve(cache), StoreOptions.defaults(), 0, 1);
    }

    TransferResult push(Backend remote, String cache, Oid... files) throws IOException {
        try (RemoteStore r = open(remote, cache);
             RemoteLock lock = r.lock(RemoteLock.Kind.SHARED, "push", Duration.ZERO)) {
            return new StoreTransfer(local, r).upload(List.of(files), false);
        }
    }

    /** gc --remote keeping {@code live}; with {@code allOld} everything counts as past the grace period. */
    GcReport gcRemote(Backend remote, String cache, Set<Oid> live, boolean allOld) throws IOException {
        try (RemoteStore r = open(remote, cache);
             RemoteLock lock = r.lock(RemoteLock.Kind.EXCLUSIVE, "gc --remote", Duration.ZERO)) {
            Instant cutoff = allOld ? Instant.now().plus(Duration.ofHours(1)) : Instant.now().minus(Duration.ofHours(24));
            return r.gc(live, cutoff, 0.05, false, lock);
        }
    }

    static MultiPackIndex remoteMidx(Backend remote) throws IOException {
        MultiPackIndex m = MultiPackIndex.open(Slab.wrap(remote.readAll(MIDX)), MIDX);
        m.verify();
        return m;
    }

    CheckReport checkRemote(Backend remote, Oid... files) throws IOException {
        try (RemoteStore r = open(remote, "checker")) {
            return r.check(List.of(files), 100);
        }
    }

    /** Opens the store remote's backend (each user closes its own). */
    interface BackendSource {
        Backend get() throws IOException;
    }

    @Test
    void onADirectory() throws IOException {
        check(() -> new LocalBackend(tmp.resolve("remote")));
    }

    /** The scenario every backend runs: written by gc, read from the cache, refreshed after a repack. */
    void check(BackendSource remote) throws IOException {
        push(remote.get(), "clone", xOid, yOid); // one pack holding both files
        assertThat(remote.get().exists(MIDX)).as("a push writes none").isFalse();

        gcRemote(remote.get(), "gc", Set.of(xOid, yOid), false);
        MultiPackIndex written = remoteMidx(remote.get());
        assertThat(written.packCount()).isEqualTo(1);
        long chunks = written.count();
        assertThat(chunks).isGreaterThan(10);

        // A push maps it from the clone's cache and dedupes against it: z shares x's chunks.
        Counting counting = new Counting(remote.get());
        TransferResult z;
        try (RemoteStore r = open(counting, "clone");
             RemoteLock lock = r.lock(RemoteLock.Kind.SHARED, "push", Duration.ZERO)) {
            z = new StoreTransfer(local, r).upload(List.of(zOid), false);
            ChunkLookup used = r.catalog().index();
            assertThat(used.multiPackIndex()).as("the remote's multi-pack index is searched").isNotNull();
            assertThat(used.multiPackIndex().count()).isEqualTo(chunks);
            assertThat(used.separateIndexes()).as("only the pack this push wrote is searched on its own").isEqualTo(1);
        }
        assertThat(z.chunksSkipped()).as("x's chunks are found in the multi-pack index").isGreaterThan(5);
        assertThat(z.chunks()).isGreaterThan(0);
        long size = remote.get().size(MIDX);
        assertThat(counting.midxBytesRead.get()).as("downloaded once").isBetween(size, size + MultiPackIndex.FIXED_SIZE + 100);
        assertThat(Files.readAllBytes(tmp.resolve("clone").resolve(MIDX))).isEqualTo(remote.get().readAll(MIDX));

        // The next push finds its cached copy current: a few kilobytes of range reads, no download.
        Counting again = new Counting(remote.get());
        try (RemoteStore r = open(again, "clone");
             RemoteLock lock = r.lock(RemoteLock.Kind.SHARED, "push", Duration.ZERO)) {
            new StoreTransfer(local, r).upload(List.of(zOid, yOid), false);
            r.catalog().index();
        }
        assertThat(again.midxBytesRead.get()).isLessThan(MultiPackIndex.FIXED_SIZE + 100L).isLessThan(size);

        // gc --remote in another clone: x is no longer referenced, its pack is repacked without
        // x's own chunks, and a new multi-pack index covers the new packs only.
        GcReport gc = gcRemote(remote.get(), "gc", Set.of(yOid, zOid), true);
        assertThat(gc.removedManifests()).containsExactly(StoreLayout.manifestKey(xOid));
        MultiPackIndex after = remoteMidx(remote.get());
        // The first clone pushes x again: its cached copy is stale and is downloaded again; every
        // chunk of x the remote lost is sent.
        Counting third = new Counting(remote.get());
        TransferResult xAgain;
        try (RemoteStore r = open(third, "clone");
             RemoteLock lock = r.lock(RemoteLock.Kind.SHARED, "push", Duration.ZERO)) {
            xAgain = new StoreTransfer(local, r).upload(List.of(xOid), false);
            assertThat(r.catalog().index().multiPackIndex().count()).isEqualTo(after.count());
        }
        assertThat(third.midxBytesRead.get()).as("the stale copy is replaced").isGreaterThanOrEqualTo(remote.get().size(MIDX));
        assertThat(Files.readAllBytes(tmp.resolve("clone").resolve(MIDX))).isEqualTo(remote.get().readAll(MIDX));
        assertThat(xAgain.files()).isEqualTo(1);
        CheckReport report = checkRemote(remote.get(), xOid, yOid, zOid);
        assertThat(report.problems()).isEmpty();
        assertThat(report.damagedFiles()).isEmpty();
    }

    @Test
    void aPushAfterAGcKilledBeforeItRewroteTheMultiPackIndexSendsWhatThatGcRemoved() throws IOException {
        Path dir = tmp.resolve("remote");
        push(new LocalBackend(dir), "clone", xOid);
        push(new LocalBackend(dir), "clone", yOid);
        gcRemote(new LocalBackend(dir), "gc", Set.of(xOid, yOid), false);
        assertThat(remoteMidx(new LocalBackend(dir)).packCount()).isEqualTo(2);
        // The clone's cache now holds the remote's multi-pack index, which covers x's pack.
        Oid w = local.put(new ByteArrayInputStream(random(5, 200_000))).pointer().oid();
        push(new LocalBackend(dir), "clone", w);
        assertThat(tmp.resolve("clone").resolve(MIDX)).exists();
        // A gc removed x (manifest, index, pack) and was killed before it wrote a new multi-pack
        // index: the one there (and the clone's copy, which still matches it) names x's pack.
        LocalBackend remote = new LocalBackend(dir);
        remote.delete(StoreLayout.manifestKey(xOid));
        String xPack;
        try (RemoteStore r = open(new LocalBackend(dir), "look")) {
            xPack = r.catalog().locate(local.manifest(xOid).idBytes(), 0).packKey();
        }
        remote.delete(StoreLayout.indexKey(StoreLayout.packIdOf(xPack)));
        remote.delete(xPack);

        TransferResult again = push(new LocalBackend(dir), "clone", xOid);
        assertThat(again.chunksSkipped()).as("no chunk of x is taken for present").isZero();
        assertThat(again.chunks()).isEqualTo(local.manifest(xOid).chunkCount());
        assertThat(checkRemote(new LocalBackend(dir), xOid, yOid).ok()).isTrue();
        // The next gc --remote writes a multi-pack index of the packs there now (x's pack came
        // back under its old name: the same chunks in the same order).
        gcRemote(new LocalBackend(dir), "gc", Set.of(xOid, yOid, w), false);
        MultiPackIndex rewritten = remoteMidx(new LocalBackend(dir));
        List<String> packs = new java.util.ArrayList<>();
        for (int p = 0; p < rewritten.packCount(); p++) {
            packs.add(StoreLayout.packKey(rewritten.packId(p)));
        }
        assertThat(packs).containsExactlyInAnyOrderElementsOf(new LocalBackend(dir).list(StoreLayout.PACKS));
    }

    @Test
    void aDamagedRemoteMultiPackIndexIsIgnoredByPushAndRebuiltByGc() throws IOException {
        Path dir = tmp.resolve("remote");
        push(new LocalBackend(dir), "clone", xOid, yOid);
        gcRemote(new LocalBackend(dir), "gc", Set.of(xOid, yOid), false);
        Path file = dir.resolve(MIDX);
        byte[] bytes = Files.readAllBytes(file);
        bytes[MultiPackIndex.HEADER_SIZE + MultiPackIndex.PACK_ENTRY_SIZE + 40] ^= 1; // a record's length
        Files.write(file, bytes);

        TransferResult z;
        try (LogCapture log = LogCapture.of(PackCatalog.class.getName())) {
            z = push(new LocalBackend(dir), "fresh-clone", zOid);
            assertThat(log.lines()).anyMatch(l -> l.contains("ignoring the multi-pack index") && l.contains("checksum"));
        }
        assertThat(z.chunksSkipped()).as("the pack indexes serve instead").isGreaterThan(5);
        assertThat(tmp.resolve("fresh-clone").resolve(MIDX)).as("a damaged copy is never cached").doesNotExist();
        assertThat(checkRemote(new LocalBackend(dir), xOid, yOid, zOid).ok()).isTrue();

        gcRemote(new LocalBackend(dir), "gc", Set.of(xOid, yOid, zOid), false);
        MultiPackIndex rebuilt = remoteMidx(new LocalBackend(dir)); // verifies every byte
        assertThat(rebuilt.packCount()).isEqualTo(2);
    }
}
