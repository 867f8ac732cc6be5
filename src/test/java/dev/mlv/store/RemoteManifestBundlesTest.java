package dev.mlv.store;

import static dev.mlv.store.StoreTestData.random;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlv.store.backend.Backend;
import dev.mlv.store.backend.ForwardingBackend;
import dev.mlv.store.backend.LocalBackend;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundle a push leaves beside the manifests it sent (format.md 6.2): a pull reads many
 * manifests in a few requests, a damaged or lying bundle costs only the requests it saved, and
 * gc of the remote never leaves a bundle holding a manifest the remote no longer has.
 */
class RemoteManifestBundlesTest {
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
            byte[] data = random(300 + i, 20_000 + 1_000 * i);
            contents.add(data);
            oids.add(local.put(new ByteArrayInputStream(data)).pointer().oid());
        }
    }

    /** Counts the requests for manifests and for bundles. */
    static final class Counting extends ForwardingBackend {
        final AtomicInteger manifestReads = new AtomicInteger();
        final AtomicInteger bundleReads = new AtomicInteger();

        Counting(Backend delegate) {
            super(delegate);
        }

        @Override
        public byte[] readAll(String key) throws IOException {
            (key.startsWith(StoreLayout.BUNDLES) ? bundleReads : key.startsWith(StoreLayout.MANIFESTS) ? manifestReads
                    : new AtomicInteger()).incrementAndGet();
            return super.readAll(key);
        }

        @Override
        public byte[] read(String key, long offset, int length) throws IOException {
            (key.startsWith(StoreLayout.BUNDLES) ? bundleReads : key.startsWith(StoreLayout.MANIFESTS) ? manifestReads
                    : new AtomicInteger()).incrementAndGet();
            return super.read(key, offset, length);
        }
    }

    private RemoteStore open(Backend remote, String cache) throws IOException {
        return RemoteStore.open(remote, tmp.resolve(cache), StoreOptions.defaults(), 0, 1);
    }

    private void push(List<Oid> files) throws IOException {
        try (RemoteStore r = open(new LocalBackend(tmp.resolve("remote")), "push-cache");
             RemoteLock lock = r.lock(RemoteLock.Kind.SHARED, "push", Duration.ZERO)) {
            new StoreTransfer(local, r).setJobs(2).upload(files, false);
        }
    }

    private Counting pullAll() throws IOException {
        Counting remote = new Counting(new LocalBackend(tmp.resolve("remote")));
        try (ChunkStore clone = ChunkStore.init(tmp.resolve("clone"));
             RemoteStore r = open(remote, "pull-cache")) {
            assertThat(new StoreTransfer(clone, r).download(oids).files()).isEqualTo(FILES);
            for (int i = 0; i < FILES; i++) {
                try (var in = clone.open(oids.get(i))) {
                    assertThat(in.readAllBytes()).isEqualTo(contents.get(i));
                }
            }
        }
        return remote;
    }

    private Path onlyBundle() throws IOException {
        List<String> keys = new LocalBackend(tmp.resolve("remote")).list(StoreLayout.BUNDLES);
        assertThat(keys).hasSize(1);
        return tmp.resolve("remote").resolve(keys.get(0));
    }

    @Test
    void aPushLeavesABundleBesideTheLooseManifestsAndAPullReadsThemInAFewRequests() throws IOException {
        push(oids);
        assertThat(new LocalBackend(tmp.resolve("remote")).list(StoreLayout.MANIFESTS)).hasSize(FILES);
        onlyBundle();

        Counting remote = pullAll();
        assertThat(remote.manifestReads.get()).isZero();
        assertThat(remote.bundleReads.get()).as("trailer, table, one run of manifests").isEqualTo(3);
    }

    @Test
    void aDamagedManifestInABundleIsFetchedOnItsOwn() throws IOException {
        push(oids);
        Path bundle = onlyBundle();
        try (RandomAccessFile f = new RandomAccessFile(bundle.toFile(), "rw")) {
            f.seek(ManifestBundle.HEADER_SIZE + 4); // inside the first manifest
            int b = f.read();
            f.seek(ManifestBundle.HEADER_SIZE + 4);
            f.write(b ^ 1);
        }
        Counting remote = pullAll();
        assertThat(remote.manifestReads.get()).isEqualTo(1);
    }

    @Test
    void aBundleWithADamagedTableIsSkipped() throws IOException {
        push(oids);
        Path bundle = onlyBundle();
        try (RandomAccessFile f = new RandomAccessFile(bundle.toFile(), "rw")) {
            long at = f.length() - ManifestBundle.TRAILER_SIZE - 3; // inside the table
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 1);
        }
        Counting remote = pullAll();
        assertThat(remote.manifestReads.get()).isEqualTo(FILES);
    }

    @Test
    void aBundleWhoseTableNamesAnotherFileForAManifestIsNotBelieved() throws IOException {
        push(oids);
        Path bundle = onlyBundle();
        // a table saying the first entry's manifest is the second's: same bytes, another oid
        try (RandomAccessFile f = new RandomAccessFile(bundle.toFile(), "rw")) {
            long size = f.length();
            f.seek(size - ManifestBundle.TRAILER_SIZE + 8);
            long tableOffset = f.readLong();
            long second = f.readLong(); // not needed: read the second entry's offset and length
            f.seek(tableOffset + ManifestBundle.ENTRY_SIZE + 32);
            long offset = f.readLong();
            int length = f.readInt();
            f.seek(tableOffset + 32);
            f.writeLong(offset);
            f.writeInt(length);
            // the table's checksum, made right again: only the manifest's own oid gives it away
            byte[] rest = new byte[(int) (size - tableOffset - 4)];
            f.seek(tableOffset);
            f.readFully(rest);
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            crc.update(rest);
            f.seek(size - 4);
            f.writeInt((int) crc.getValue());
            assertThat(second).isNotNegative();
        }
        Counting remote = pullAll();
        assertThat(remote.manifestReads.get()).as("the first file's manifest, fetched on its own").isEqualTo(1);
    }

    @Test
    void gcOfTheRemoteDropsABundleBeforeAManifestInItGoes() throws IOException {
        push(oids);
        Path bundle = onlyBundle();
        Instant allOld = Instant.now().plusSeconds(3600);
        try (RemoteStore r = open(new LocalBackend(tmp.resolve("remote")), "gc-cache")) {
            // every file still live: the bundle stays
            r.gc(new HashSet<>(oids), allOld, 0.0, false, null);
            assertThat(bundle).exists();
            GcReport report = r.gc(new HashSet<>(oids.subList(1, FILES)), allOld, 0.0, false, null);
            assertThat(report.removedManifests()).hasSize(1);
            assertThat(bundle).doesNotExist();
        }
        // the other files still pull, one request each
        oids.remove(0);
        contents.remove(0);
        Counting remote = new Counting(new LocalBackend(tmp.resolve("remote")));
        try (ChunkStore clone = ChunkStore.init(tmp.resolve("clone2"));
             RemoteStore r = open(remote, "pull-cache2")) {
            assertThat(new StoreTransfer(clone, r).download(oids).files()).isEqualTo(FILES - 1);
        }
        assertThat(remote.manifestReads.get()).isEqualTo(FILES - 1);
    }
}
