package dev.mlv.store;

import static dev.mlv.store.StoreTestData.random;
import static dev.mlv.store.StoreTestData.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlv.store.backend.Backend;
import dev.mlv.store.backend.ForwardingBackend;
import dev.mlv.store.backend.LocalBackend;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Push and pull of a checkpoint of many files (the sharded-checkpoint benchmark in miniature):
 * manifests, one small request each, go many at once whatever the number of large transfers; a
 * push cuts packs small enough to keep its streams busy; and a pull still checks every chunk it
 * receives before any manifest enters the local store.
 */
class StoreTransferManyFilesTest {
    private static final int FILES = 40;

    @TempDir
    Path tmp;
    private ChunkStore local;
    private final List<Oid> oids = new ArrayList<>();
    private final List<byte[]> contents = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        local = ChunkStore.init(tmp.resolve("local"));
        for (int i = 0; i < FILES; i++) {
            byte[] data = random(100 + i, 100_000 + 3_000 * i);
            contents.add(data);
            oids.add(local.put(new ByteArrayInputStream(data)).pointer().oid());
        }
    }

    /** Holds each manifest request a little and records how many were in flight at once. */
    static final class SlowManifests extends ForwardingBackend {
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();

        SlowManifests(Backend delegate) {
            super(delegate);
        }

        private void enter() throws IOException {
            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException();
            }
        }

        @Override
        public byte[] readAll(String key) throws IOException {
            if (!key.startsWith(StoreLayout.MANIFESTS)) {
                return super.readAll(key);
            }
            enter();
            try {
                return super.readAll(key);
            } finally {
                inFlight.decrementAndGet();
            }
        }

        @Override
        public void write(String key, byte[] data) throws IOException {
            if (!key.startsWith(StoreLayout.MANIFESTS)) {
                super.write(key, data);
                return;
            }
            enter();
            try {
                super.write(key, data);
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }

    private RemoteStore open(Backend remote, String cache) throws IOException {
        return RemoteStore.open(remote, tmp.resolve(cache), StoreOptions.defaults(), 0, 1);
    }

    private TransferResult push(Backend remote, int jobs) throws IOException {
        try (RemoteStore r = open(remote, "push-cache");
             RemoteLock lock = r.lock(RemoteLock.Kind.SHARED, "push", Duration.ZERO)) {
            return new StoreTransfer(local, r).setJobs(jobs).upload(oids, false);
        }
    }

    @Test
    void aPushSendsManifestsManyAtOnceEvenWithOneTransferJob() throws IOException {
        SlowManifests remote = new SlowManifests(new LocalBackend(tmp.resolve("remote")));
        TransferResult r = push(remote, 1);

        assertThat(r.files()).isEqualTo(FILES);
        // one request each, the round trip being their cost: not one at a time as packs go
        assertThat(remote.most.get()).isGreaterThanOrEqualTo(4);
        assertThat(remote.list(StoreLayout.MANIFESTS)).hasSize(FILES);
    }

    @Test
    void aPullFetchesManifestsManyAtOnceAndRebuildsEveryFile() throws IOException {
        Path remoteDir = tmp.resolve("remote");
        push(new LocalBackend(remoteDir), 4);
        // a remote without the push's bundle (an older mlv pushed): one request per manifest
        new LocalBackend(remoteDir).deleteAll(new LocalBackend(remoteDir).list(StoreLayout.BUNDLES));

        SlowManifests remote = new SlowManifests(new LocalBackend(remoteDir));
        try (ChunkStore clone = ChunkStore.init(tmp.resolve("clone"));
             RemoteStore r = open(remote, "pull-cache")) {
            TransferResult got = new StoreTransfer(clone, r).setJobs(1).download(oids);

            assertThat(got.files()).isEqualTo(FILES);
            assertThat(remote.most.get()).isGreaterThanOrEqualTo(4);
            for (int i = 0; i < FILES; i++) {
                assertThat(clone.has(oids.get(i))).isTrue();
                try (var in = clone.open(oids.get(i))) {
                    assertThat(in.readAllBytes()).isEqualTo(contents.get(i));
                }
            }
        }
    }

    @Test
    void packsAPullWroteAreReadBackThroughThePageCacheAndOthersDirectly() throws IOException {
        Path remoteDir = tmp.resolve("remote");
        push(new LocalBackend(remoteDir), 4);
        try (ChunkStore clone = ChunkStore.init(tmp.resolve("clone"));
             RemoteStore r = open(new LocalBackend(remoteDir), "pull-cache")) {
            byte[] own = random(4242, 300_000);
            Oid ownOid = clone.put(new ByteArrayInputStream(own)).pointer().oid();
            List<String> before = clone.backend().list(StoreLayout.PACKS);
            new StoreTransfer(clone, r).setJobs(4).download(oids);

            List<String> fetched = new ArrayList<>(clone.backend().list(StoreLayout.PACKS));
            fetched.removeAll(before);
            assertThat(fetched).isNotEmpty();
            // the checkout that follows a pull reads what the pull just wrote: from memory
            fetched.forEach(p -> assertThat(clone.catalog().readThroughCache(p)).as(p).isTrue());
            // a put's packs are written with O_DIRECT: nothing of them is cached to read
            before.forEach(p -> assertThat(clone.catalog().readThroughCache(p)).as(p).isFalse());
            for (int i = 0; i < FILES; i++) {
                try (var in = clone.open(oids.get(i))) {
                    assertThat(in.readAllBytes()).isEqualTo(contents.get(i));
                }
            }
            try (var in = clone.open(ownOid)) {
                assertThat(in.readAllBytes()).isEqualTo(own);
            }
        }
    }

    @Test
    void aPullOfManyFilesStillChecksEveryChunkAndAdmitsNoManifestOnADamagedOne() throws IOException {
        Path remoteDir = tmp.resolve("remote");
        LocalBackend remote = new LocalBackend(remoteDir);
        push(remote, 4);
        // flip one byte inside the data of the remote's first pack: one chunk of one file is wrong
        String pack = remote.list(StoreLayout.PACKS).get(0);
        flipByte(remoteDir.resolve(pack), 1.0 / 3, 0x40);

        try (ChunkStore clone = ChunkStore.init(tmp.resolve("clone"));
             RemoteStore r = open(remote, "pull-cache")) {
            StoreTransfer t = new StoreTransfer(clone, r).setJobs(4).writeFilesOut(new java.util.HashSet<>(oids));
            assertThatThrownBy(() -> t.download(oids))
                    .isInstanceOf(CorruptContentException.class)
                    .hasMessageContaining(pack);
            for (Oid oid : oids) {
                assertThat(clone.has(oid)).as("manifest of %s", oid).isFalse();
            }
            assertThat(t.writtenFiles()).isEmpty();
            try (var left = java.nio.file.Files.list(clone.tmpDir())) {
                assertThat(left.toList()).as("no file written out, no pack linked, left behind").isEmpty();
            }
            assertThat(clone.backend().list(StoreLayout.PACKS)).as("no linked pack published").isEmpty();
        }
    }

    @Test
    void aPullWritesOutWholeTheWantedFilesWhoseChunksItAllFetchesEachCheckedAgainstItsOid() throws IOException {
        Path remoteDir = tmp.resolve("remote");
        push(new LocalBackend(remoteDir), 4);
        try (ChunkStore clone = ChunkStore.init(tmp.resolve("clone"));
             RemoteStore r = open(new LocalBackend(remoteDir), "pull-cache")) {
            // file 3's first chunks are already local (an earlier version of it): not written out
            byte[] earlier = java.util.Arrays.copyOf(contents.get(3), contents.get(3).length - 1000);
            clone.put(new ByteArrayInputStream(earlier));
            java.util.Set<Oid> wanted = new java.util.HashSet<>(oids);
            wanted.remove(oids.get(7)); // not asked for
            StoreTransfer t = new StoreTransfer(clone, r).setJobs(4).writeFilesOut(wanted);
            TransferResult got = t.download(oids);

            assertThat(got.files()).isEqualTo(FILES);
            assertThat(got.chunksSkipped()).isPositive();
            java.util.Map<Oid, Path> written = t.writtenFiles();
            assertThat(written).hasSize(FILES - 2).doesNotContainKeys(oids.get(3), oids.get(7));
            for (int i = 0; i < FILES; i++) {
                if (written.containsKey(oids.get(i))) {
                    Path file = written.get(oids.get(i));
                    assertThat(file.getParent()).isEqualTo(clone.tmpDir());
                    assertThat(java.nio.file.Files.readAllBytes(file)).as("file %d", i).isEqualTo(contents.get(i));
                }
                assertThat(clone.has(oids.get(i))).isTrue();
            }
            // nothing else is left in the temp folder: the caller owns exactly what it was handed
            try (var left = java.nio.file.Files.list(clone.tmpDir())) {
                assertThat(left.toList()).containsExactlyInAnyOrderElementsOf(written.values());
            }
        }
    }

    @Test
    void aPullFromADirectoryOnThisFileSystemLinksTheWholePacksItNeedsAndCopiesTheRest() throws IOException {
        Path remoteDir = tmp.resolve("remote");
        // two pushes, two packs: the first half of the files, then the rest
        try (RemoteStore r = open(new LocalBackend(remoteDir), "push-cache");
             RemoteLock lock = r.lock(RemoteLock.Kind.SHARED, "push", Duration.ZERO)) {
            new StoreTransfer(local, r).setJobs(4).upload(oids.subList(0, FILES / 2), false);
            new StoreTransfer(local, r).setJobs(4).upload(oids, false);
        }
        List<String> remotePacks = new LocalBackend(remoteDir).list(StoreLayout.PACKS);
        assertThat(remotePacks).hasSize(2);
        try (ChunkStore clone = ChunkStore.init(tmp.resolve("clone"));
             RemoteStore r = open(new LocalBackend(remoteDir), "pull-cache")) {
            // the first file's first chunk is local already: the pack holding it is not needed whole
            byte[] first = java.util.Arrays.copyOf(contents.get(0), 70_000);
            clone.put(new ByteArrayInputStream(first));
            List<String> own = clone.backend().list(StoreLayout.PACKS);
            TransferResult got = new StoreTransfer(clone, r).setJobs(4).download(oids);

            assertThat(got.files()).isEqualTo(FILES);
            List<String> fetched = new ArrayList<>(clone.backend().list(StoreLayout.PACKS));
            fetched.removeAll(own);
            int linked = 0;
            for (String pack : fetched) {
                Object here = java.nio.file.Files.readAttributes(tmp.resolve("clone").resolve(pack),
                        java.nio.file.attribute.BasicFileAttributes.class).fileKey();
                if (remotePacks.contains(pack)) {
                    Object there = java.nio.file.Files.readAttributes(remoteDir.resolve(pack),
                            java.nio.file.attribute.BasicFileAttributes.class).fileKey();
                    assertThat(here).as("%s is the remote's file, linked", pack).isEqualTo(there);
                    linked++;
                }
            }
            assertThat(linked).as("the packs needed whole").isEqualTo(remotePacks.size() - 1);
            assertThat(fetched).as("the chunks of the other one, copied into a pack of its own").hasSize(remotePacks.size());
            for (int i = 0; i < FILES; i++) {
                try (var in = clone.open(oids.get(i))) {
                    assertThat(in.readAllBytes()).isEqualTo(contents.get(i));
                }
            }
            assertThat(clone.verify().ok()).as("every pack, index and manifest checks out").isTrue();
        }
    }

    @Test
    void aPushToADirectoryOnThisFileSystemLinksTheLocalPacksItNeedsWholeAfterCheckingEveryChunk() throws IOException {
        Path remoteDir = tmp.resolve("remote");
        // the first half through a wrapper (no file of its own to link): repacked, as to any remote
        try (RemoteStore r = open(new ForwardingBackend(new LocalBackend(remoteDir)) { }, "push-cache");
             RemoteLock lock = r.lock(RemoteLock.Kind.SHARED, "push", Duration.ZERO)) {
            new StoreTransfer(local, r).setJobs(4).upload(oids.subList(0, FILES / 2), false);
        }
        List<String> repacked = new LocalBackend(remoteDir).list(StoreLayout.PACKS);
        List<String> localPacks = local.backend().list(StoreLayout.PACKS);
        assertThat(localPacks).doesNotContainAnyElementsOf(repacked);

        // a model of 9 MiB: its own pack, large enough to be linked (the small ones are merged)
        byte[] model = random(77, 9 << 20);
        Oid modelOid = local.put(new ByteArrayInputStream(model)).pointer().oid();
        localPacks = local.backend().list(StoreLayout.PACKS);
        oids.add(modelOid);
        contents.add(model);
        TransferResult rest = push(new LocalBackend(remoteDir), 4);
        assertThat(rest.files()).isEqualTo(FILES - FILES / 2 + 1);
        List<String> linked = new ArrayList<>(new LocalBackend(remoteDir).list(StoreLayout.PACKS));
        linked.removeAll(repacked);
        assertThat(linked).as("the model's pack, and one pack of the small files' chunks").hasSize(2);
        assertThat(linked.stream().filter(localPacks::contains)).as("the model's pack, linked").hasSize(1);
        for (String pack : linked.stream().filter(localPacks::contains).toList()) {
            assertThat(java.nio.file.Files.readAttributes(remoteDir.resolve(pack), java.nio.file.attribute.BasicFileAttributes.class).fileKey())
                    .isEqualTo(java.nio.file.Files.readAttributes(tmp.resolve("local").resolve(pack),
                            java.nio.file.attribute.BasicFileAttributes.class).fileKey());
        }
        try (var left = java.nio.file.Files.list(local.tmpDir())) {
            assertThat(left.toList()).as("no link left behind").isEmpty();
        }
        try (ChunkStore clone = ChunkStore.init(tmp.resolve("clone"));
             RemoteStore r = open(new ForwardingBackend(new LocalBackend(remoteDir)) { }, "pull-cache")) {
            new StoreTransfer(clone, r).setJobs(4).download(oids);
            for (int i = 0; i < oids.size(); i++) {
                try (var in = clone.open(oids.get(i))) {
                    assertThat(in.readAllBytes()).isEqualTo(contents.get(i));
                }
            }
        }
    }

    @Test
    void aDamagedLocalChunkIsNeverLinkedIntoTheRemote() throws IOException {
        List<String> small = local.backend().list(StoreLayout.PACKS);
        oids.add(local.put(new ByteArrayInputStream(random(78, 9 << 20))).pointer().oid());
        List<String> packs = new ArrayList<>(local.backend().list(StoreLayout.PACKS));
        packs.removeAll(small);
        String pack = packs.get(0); // the 9 MiB file's, large enough to be linked
        Path file = tmp.resolve("local").resolve(pack);
        flipByte(file, 1.0 / 2, 0x10);
        Path remoteDir = tmp.resolve("remote");
        assertThatThrownBy(() -> push(new LocalBackend(remoteDir), 4)).isInstanceOf(CorruptContentException.class)
                .hasMessageContaining(pack);
        assertThat(java.nio.file.Files.exists(remoteDir.resolve(pack))).as("the damaged pack is not on the remote").isFalse();
    }

    @Test
    void aPushCutsPacksSmallEnoughToKeepItsStreamsBusy() throws IOException {
        // 40 files of about 6.4 MiB in all, four jobs: packs of the 8 MiB floor, not one 64 MiB pack
        assertThat(StoreTransfer.uploadPackSize(6_400_000, 4, 64 << 20)).isEqualTo(StoreTransfer.MIN_UPLOAD_PACK);
        assertThat(StoreTransfer.uploadPackSize(256L << 20, 4, 64 << 20)).isEqualTo(16L << 20); // 16 packs
        assertThat(StoreTransfer.uploadPackSize(10L << 30, 4, 64 << 20)).isEqualTo(64L << 20); // the store's size caps it

        byte[] big = random(7, 24 << 20);
        Oid bigOid = local.put(new ByteArrayInputStream(big)).pointer().oid();
        Path remoteDir = tmp.resolve("remote");
        // a remote the pack cannot be linked into (S3, a directory on another disk): cut for streams
        try (RemoteStore r = open(new ForwardingBackend(new LocalBackend(remoteDir)) { }, "push-cache");
             RemoteLock lock = r.lock(RemoteLock.Kind.SHARED, "push", Duration.ZERO)) {
            TransferResult sent = new StoreTransfer(local, r).setJobs(4).upload(List.of(bigOid), false);
            assertThat(sent.packs()).isGreaterThanOrEqualTo(3);
        }
        try (ChunkStore clone = ChunkStore.init(tmp.resolve("clone"));
             RemoteStore r = open(new LocalBackend(remoteDir), "pull-cache")) {
            new StoreTransfer(clone, r).download(List.of(bigOid));
            try (var in = clone.open(bigOid)) {
                assertThat(sha256(in.readAllBytes())).isEqualTo(bigOid);
            }
        }
    }

    /**
     * Records, for each manifest written, whether every chunk it lists was then in a pack whose
     * index was already on the remote, and how many packs were there.
     */
    static final class ManifestOrder extends ForwardingBackend {
        final List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
        final List<Integer> indexesSeen = java.util.Collections.synchronizedList(new ArrayList<>());

        ManifestOrder(Backend delegate) {
            super(delegate);
        }

        @Override
        public void write(String key, byte[] data) throws IOException {
            if (key.startsWith(StoreLayout.MANIFESTS)) {
                java.util.Set<String> indexed = new java.util.HashSet<>();
                List<String> indexes = delegate.list(StoreLayout.INDEX);
                for (String idx : indexes) {
                    dev.mlv.store.pack.PackRecords r = dev.mlv.store.pack.PackFiles.decodeIndex(idx, delegate.readAll(idx));
                    for (int i = 0; i < r.count(); i++) {
                        indexed.add(Hex.encode(java.util.Arrays.copyOfRange(r.records(), r.idOffset(i), r.idOffset(i) + 32)));
                    }
                }
                dev.mlv.store.manifest.Manifest m = dev.mlv.store.manifest.Manifest.decode(key, data);
                for (int i = 0; i < m.chunkCount(); i++) {
                    String id = Hex.encode(java.util.Arrays.copyOfRange(m.idBytes(), i * 32, i * 32 + 32));
                    if (!indexed.contains(id)) {
                        violations.add(key + " names chunk " + id + " before its pack is indexed");
                    }
                }
                indexesSeen.add(indexes.size());
            }
            super.write(key, data);
        }
    }

    @Test
    void aPushSendsEachManifestOnlyOnceItsChunksAreIndexedYetBeforeTheLastPack() throws IOException {
        // 40 files, 3 more of 4 MiB each, about 18 MiB: three packs or more, one upload at a time
        for (int i = 0; i < 3; i++) {
            byte[] data = random(900 + i, 4 << 20);
            contents.add(data);
            oids.add(local.put(new ByteArrayInputStream(data)).pointer().oid());
        }
        ManifestOrder remote = new ManifestOrder(new LocalBackend(tmp.resolve("remote")));
        TransferResult r = push(remote, 1);

        assertThat(r.packs()).isGreaterThanOrEqualTo(2);
        assertThat(remote.violations).isEmpty();
        assertThat(remote.indexesSeen).hasSize(oids.size());
        // the first files' manifests went while later packs were still to go up
        assertThat(remote.indexesSeen.stream().mapToInt(Integer::intValue).min().orElseThrow()).isLessThan(r.packs());
    }

    /** Flips {@code bits} of the byte at {@code where} (a fraction of its length) of a file: one chunk damaged. */
    private static void flipByte(Path file, double where, int bits) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            long at = (long) (f.length() * where);
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ bits);
        }
    }
}
