package dev.mlv.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gc merges the tiny packs that mlv wrote one per file before puts were batched: a store of 200
 * one-chunk packs becomes a handful, every file still reads (also for a reader that loaded the
 * pack list before), and a gc killed between writing a merged pack and deleting the old ones
 * leaves a readable store that the next gc finishes.
 */
class GcMergeTest {
    @TempDir
    Path dir;

    /** Merged packs of up to 256 KiB: 200 files of 1–4 KiB (about 500 KiB) fill two or three. */
    private static final StoreOptions OPTIONS = StoreOptions.defaults().withPackSize(256 << 10);
    private static final Instant ALL_OLD = Instant.now().plusSeconds(3600);

    @TempDir
    static Path template;
    private static final List<byte[]> contents = new ArrayList<>();
    private static final List<Oid> live = new ArrayList<>();

    /** 200 live files and 20 dead ones, each put on its own (one pack each, as mlv once wrote them). */
    @BeforeAll
    static void writeTinyPacks() throws IOException {
        try (ChunkStore store = ChunkStore.init(template, OPTIONS)) {
            for (int i = 0; i < 220; i++) {
                byte[] content = StoreTestData.random(i, 1000 + (i * 37) % 3000);
                Oid oid = store.put(new ByteArrayInputStream(content)).pointer().oid();
                if (i % 11 != 5) {
                    contents.add(content);
                    live.add(oid);
                }
            }
        }
    }

    /** A copy of the store of tiny packs (written once: 220 puts take a while). */
    private ChunkStore storeOfTinyPacks() throws IOException {
        try (Stream<Path> files = Files.walk(template)) {
            for (Path from : (Iterable<Path>) files::iterator) {
                Path to = dir.resolve(template.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to);
                }
            }
        }
        ChunkStore store = ChunkStore.open(dir, OPTIONS);
        assertThat(packFiles()).isEqualTo(220);
        return store;
    }

    private long packFiles() throws IOException {
        try (Stream<Path> s = Files.walk(dir.resolve("packs"))) {
            return s.filter(p -> p.toString().endsWith(".pack")).count();
        }
    }

    private void assertAllRead(ChunkStore store) throws IOException {
        for (int k = 0; k < live.size(); k++) {
            try (InputStream in = store.open(live.get(k))) {
                assertThat(in.readAllBytes()).as("file %d", k).isEqualTo(contents.get(k));
            }
        }
    }

    private void assertSound(ChunkStore store) throws IOException {
        assertAllRead(store);
        CheckReport check = store.check(live, 100, false);
        assertThat(check.problems()).isEmpty();
        assertThat(check.ok()).isTrue();
        try (ChunkStore fresh = ChunkStore.open(dir, OPTIONS)) {
            assertAllRead(fresh);
        }
    }

    @Test
    void twoHundredTinyPacksBecomeAHandfulAndEveryFileReads() throws IOException {
        try (ChunkStore store = storeOfTinyPacks()) {
            GcReport dry = store.gc(new HashSet<>(live), ALL_OLD, 0.05, true);
            assertThat(dry.merged()).isNotEmpty().allSatisfy(m -> assertThat(m.newPack()).isNull());
            assertThat(dry.merged().stream().mapToInt(m -> m.oldPacks().size()).sum()).isEqualTo(200);
            assertThat(packFiles()).as("a dry run changes nothing").isEqualTo(220);

            GcReport r = store.gc(new HashSet<>(live), ALL_OLD, 0.05, false);
            assertThat(r.removedPacks()).as("the dead files' packs").hasSize(20);
            assertThat(r.merged().stream().mapToInt(m -> m.oldPacks().size()).sum()).isEqualTo(200);
            assertThat(r.merged().stream().mapToLong(GcReport.Merge::liveChunks).sum()).isEqualTo(200);
            assertThat(packFiles()).isBetween(2L, 5L).isEqualTo(r.merged().size());
            for (GcReport.Merge m : r.merged()) {
                assertThat(dir.resolve(m.newPack())).exists();
                m.oldPacks().forEach(old -> assertThat(dir.resolve(old)).doesNotExist());
            }
            assertSound(store);

            GcReport again = store.gc(new HashSet<>(live), ALL_OLD, 0.05, false);
            assertThat(again.merged()).as("merged packs are not small").isEmpty();
            assertThat(packFiles()).isEqualTo(r.merged().size());
            assertSound(store);
        }
    }

    @Test
    void aReaderReadingDuringTheMergeNeverFails() throws Exception {
        try (ChunkStore store = storeOfTinyPacks(); ChunkStore reader = ChunkStore.open(dir, OPTIONS)) {
            assertAllRead(reader); // its pack list names the 220 tiny packs
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicInteger rounds = new AtomicInteger();
            Thread t = new Thread(() -> {
                try (ChunkStore concurrent = ChunkStore.open(dir, OPTIONS)) {
                    while (!stop.get() || rounds.get() == 0) {
                        assertAllRead(concurrent);
                        rounds.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            t.start();
            GcReport r = store.gc(new HashSet<>(live), ALL_OLD, 0.05, false);
            stop.set(true);
            t.join(60_000);
            assertThat(failure.get()).as("the concurrent reader").isNull();
            assertThat(r.merged()).isNotEmpty();
            assertAllRead(reader); // every pack it knew of is gone: it reloads and reads the merged ones
        }
    }

    @Test
    void aGcKilledAfterWritingAMergedPackLeavesAReadableStoreTheNextGcFinishes() throws IOException {
        try (ChunkStore store = storeOfTinyPacks()) {
            // Every file is live, so nothing else is garbage: the first deletion gc attempts is of an
            // old pack, right after the first merged pack and its index were written. It dies there.
            Set<Oid> all = new HashSet<>(store.list());
            dev.mlv.store.backend.Backend backend = store.catalog().backend();
            StoreGc.Guard killed = () -> {
                throw new IOException("killed");
            };
            StoreGc gc = new StoreGc(backend, store.catalog(), ManifestBundles.localOf(backend).tmpDir(), killed, ALL_OLD, ALL_OLD, 0.05, false,
                    OPTIONS);
            assertThatThrownBy(() -> gc.run(all)).hasMessage("killed");
            assertThat(packFiles()).as("one merged pack written, nothing deleted").isEqualTo(221);
            try (ChunkStore fresh = ChunkStore.open(dir, OPTIONS)) {
                assertAllRead(fresh);
                assertThat(fresh.check(all, 100, false).ok()).isTrue();
            }

            GcReport r = store.gc(new HashSet<>(live), ALL_OLD, 0.05, false);
            assertThat(r.merged()).isNotEmpty();
            assertThat(packFiles()).isBetween(2L, 5L);
            assertSound(store);
        }
    }
}
