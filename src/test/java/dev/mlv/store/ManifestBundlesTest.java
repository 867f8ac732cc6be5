package dev.mlv.store;

import static dev.mlv.store.StoreTestData.random;
import static dev.mlv.store.StoreTestData.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ManifestBundles}: a batch's manifests in one file, read, listed and deleted as loose ones. */
class ManifestBundlesTest {
    private static final Instant ALL_OLD = Instant.now().plusSeconds(3600);

    @TempDir
    Path dir;
    @TempDir
    Path cache;

    private List<Oid> putBatch(ChunkStore store, int seed, int files) throws IOException {
        List<Oid> oids = new ArrayList<>();
        try (PutBatch batch = store.batch(ProgressListener.NONE)) {
            for (int i = 0; i < files; i++) {
                oids.add(batch.put(new ByteArrayInputStream(content(seed, i))).pointer().oid());
            }
            batch.flush();
        }
        return oids;
    }

    private static byte[] content(int seed, int i) {
        return random(seed * 1000L + i, 1000 + i * 37);
    }

    @Test
    void aBatchIsOneBundleReadListedAndVerifiedLikeLooseManifests() throws IOException {
        try (ChunkStore store = ChunkStore.init(dir)) {
            List<Oid> oids = putBatch(store, 1, 40);
            assertThat(files("bundles")).hasSize(1);
            assertThat(files("manifests")).isEmpty();
            assertThat(store.list()).containsExactlyInAnyOrderElementsOf(oids);
            for (int i = 0; i < oids.size(); i++) {
                assertThat(store.has(oids.get(i))).isTrue();
                try (InputStream in = store.open(oids.get(i))) {
                    assertThat(readAll(in)).isEqualTo(content(1, i));
                }
            }
            assertThat(store.verify().ok()).isTrue();
            // a small batch stays loose
            List<Oid> few = putBatch(store, 2, ManifestBundles.MIN_BATCH - 1);
            assertThat(files("manifests")).hasSize(few.size());
            assertThat(files("bundles")).hasSize(1);
        }
    }

    @Test
    void theFirstBundleRaisesTheStoreToVersionTwoWhichAStoreRemoteRefuses() throws IOException {
        try (ChunkStore store = ChunkStore.init(dir)) {
            putBatch(store, 1, ManifestBundles.MIN_BATCH - 1); // loose: the store stays readable by any mlv
            assertThat(version()).isEqualTo(StoreConfig.FORMAT_VERSION);
            putBatch(store, 2, ManifestBundles.MIN_BATCH);
            assertThat(files("bundles")).hasSize(1);
            assertThat(version()).isEqualTo(StoreConfig.BUNDLES_VERSION);
            putBatch(store, 3, ManifestBundles.MIN_BATCH);
            assertThat(version()).isEqualTo(StoreConfig.BUNDLES_VERSION);
        }
        try (ChunkStore again = ChunkStore.open(dir)) {
            assertThat(again.config().version()).isEqualTo(StoreConfig.BUNDLES_VERSION);
            assertThat(again.list()).hasSize(ManifestBundles.MIN_BATCH * 3 - 1);
        }
        // A copy of it is no store remote: not every manifest is loose there.
        try (RemoteStore remote = RemoteStore.open(new dev.mlv.store.backend.LocalBackend(dir), cache,
                StoreOptions.defaults(), 0, 1)) {
            assertThatThrownBy(remote::exists).isInstanceOf(StoreConfigException.class)
                    .hasMessageContaining("format version 2").hasMessageContaining("store remote keeps version 1");
        }
        // A store from a newer mlv is refused with a word on what to do.
        Files.writeString(dir.resolve(StoreConfig.KEY), Files.readString(dir.resolve(StoreConfig.KEY))
                .replace("\"version\" : 2", "\"version\" : 3"));
        assertThatThrownBy(() -> ChunkStore.open(dir)).isInstanceOf(StoreConfigException.class)
                .hasMessageContaining("format version 3").hasMessageContaining("upgrade mlv");
    }

    private int version() throws IOException {
        return StoreConfig.decode("config", Files.readAllBytes(dir.resolve(StoreConfig.KEY))).version();
    }

    @Test
    void anotherProcessSeesABundleWrittenAfterItsFirstLookup() throws IOException {
        try (ChunkStore writer = ChunkStore.init(dir); ChunkStore reader = ChunkStore.open(dir)) {
            List<Oid> first = putBatch(writer, 1, 20);
            assertThat(reader.has(first.get(0))).isTrue(); // the reader has listed bundles/ now
            List<Oid> second = putBatch(writer, 2, 20);
            try (InputStream in = reader.open(second.get(5))) {
                assertThat(readAll(in)).isEqualTo(content(2, 5));
            }
            assertThat(reader.has(second.get(19))).isTrue();
            assertThat(reader.list()).hasSize(40);
        }
    }

    @Test
    void gcOfSomeBundledManifestsRewritesTheBundleWithTheSurvivors() throws IOException {
        try (ChunkStore store = ChunkStore.init(dir)) {
            List<Oid> oids = putBatch(store, 1, 30);
            String before = files("bundles").get(0);
            Set<Oid> live = new HashSet<>(oids.subList(0, 10));
            GcReport report = store.gc(live, ALL_OLD, 0.0, false);
            assertThat(report.removedManifests()).hasSize(20);
            assertThat(files("bundles")).hasSize(1).doesNotContain(before);
            assertThat(store.list()).containsExactlyInAnyOrderElementsOf(live);
            for (int i = 0; i < 10; i++) {
                try (InputStream in = store.open(oids.get(i))) {
                    assertThat(readAll(in)).isEqualTo(content(1, i));
                }
            }
            assertThat(store.has(oids.get(20))).isFalse();
            assertThat(store.verify().ok()).isTrue();
            // nothing live: the bundle goes
            store.gc(Set.of(), ALL_OLD, 0.0, false);
            assertThat(files("bundles")).isEmpty();
            assertThat(store.list()).isEmpty();
        }
    }

    @Test
    void aLooseCopyBesideTheBundleIsListedOnceAndGcRemovesBoth() throws IOException {
        List<Oid> oids;
        try (ChunkStore store = ChunkStore.init(dir)) {
            oids = putBatch(store, 1, 20);
            // as a crash between writing survivors and removing the old bundle leaves
            String key = StoreLayout.manifestKey(oids.get(3));
            dev.mlv.store.backend.Backend backend = store.catalog().backend();
            ManifestBundles.localOf(backend).write(key, backend.readAll(key));
            assertThat(files("manifests")).hasSize(1);
            assertThat(store.list()).hasSize(20);
            store.gc(new HashSet<>(oids.subList(4, 20)), ALL_OLD, 0.0, false);
            assertThat(store.has(oids.get(3))).isFalse();
            assertThat(files("manifests")).isEmpty();
            assertThat(store.list()).hasSize(16);
        }
    }

    @Test
    void aDamagedBundleIsReportedAndItsManifestsAreMissingNotWrong() throws IOException {
        List<Oid> oids;
        try (ChunkStore store = ChunkStore.init(dir)) {
            oids = putBatch(store, 1, 20);
        }
        Path bundle = dir.resolve(files("bundles").get(0));
        try (RandomAccessFile f = new RandomAccessFile(bundle.toFile(), "rw")) {
            long at = f.length() - ManifestBundle.TRAILER_SIZE - 10; // inside the table
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x40);
        }
        try (ChunkStore store = ChunkStore.open(dir)) {
            assertThat(store.has(oids.get(0))).isFalse();
            assertThatThrownBy(() -> store.open(oids.get(0))).isInstanceOf(ContentNotFoundException.class);
            VerifyReport report = store.verify();
            assertThat(report.ok()).isFalse();
            assertThat(report.problems()).anySatisfy(p -> {
                assertThat(p.object()).startsWith("bundles/");
                assertThat(p.message()).contains("checksum");
            });
        }
    }

    @Test
    void aManifestInABundleReadsByRangeAndStatsWithItsBundlesTime() throws IOException {
        try (ChunkStore store = ChunkStore.init(dir)) {
            List<Oid> oids = putBatch(store, 1, 20);
            dev.mlv.store.backend.Backend backend = store.catalog().backend();
            String key = StoreLayout.manifestKey(oids.get(7));
            byte[] whole = backend.readAll(key);
            assertThat(backend.size(key)).isEqualTo(whole.length);
            assertThat(backend.read(key, 8, 36)).isEqualTo(java.util.Arrays.copyOfRange(whole, 8, 44));
            assertThat(backend.stat(key).lastModified())
                    .isEqualTo(Files.getLastModifiedTime(dir.resolve(files("bundles").get(0))).toInstant());
            assertThatThrownBy(() -> backend.read(key, whole.length - 4, 8)).isInstanceOf(java.io.EOFException.class);
            assertThat(backend.listInfo("manifests/")).hasSize(20);
            assertThat(backend.list("manifests/" + oids.get(7).hex().substring(0, 2) + "/")).contains(key);
        }
    }

    private List<String> files(String sub) throws IOException {
        Path d = dir.resolve(sub);
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(d)) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }
}
