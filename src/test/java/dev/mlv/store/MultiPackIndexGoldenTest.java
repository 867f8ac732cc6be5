package dev.mlv.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlv.store.manifest.Manifest;
import dev.mlv.store.pack.MultiPackIndex;
import dev.mlv.store.pack.PackFiles;
import dev.mlv.store.pack.PackRecords;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code golden/format/midx/multi-pack.midx}: the multi-pack index of the golden store's two
 * packs ({@code docs/format.md} section 5.1). Today's writer consolidates the golden store into
 * exactly these bytes, and today's reader, given the file, finds every chunk where the pack
 * indexes do. The golden store itself has no multi-pack index: it stands for stores written
 * before there was one, which open unchanged. Regenerate as the README there says.
 */
class MultiPackIndexGoldenTest {
    static final String FIXTURE = "midx/multi-pack.midx";

    @TempDir
    Path temp;

    private Path storeCopy(String name) throws IOException {
        return GoldenFixtures.copy(GoldenFixtures.root().resolve("store"), temp.resolve(name));
    }

    @Test
    @DisabledIfSystemProperty(named = GoldenFixtures.REGENERATE, matches = "true")
    void consolidatingTheGoldenStoreWritesTheFixtureByteForByte() throws IOException {
        Path dir = storeCopy("store");
        try (ChunkStore store = ChunkStore.open(dir)) {
            assertThat(store.consolidateIndexes(1)).isEqualTo(7); // 5 chunks of base.bin, 2 new in tuned.bin
        }
        GoldenFixtures.assertSameBytes(FIXTURE, Files.readAllBytes(GoldenFixtures.root().resolve(FIXTURE)),
                Files.readAllBytes(dir.resolve(StoreLayout.MULTI_PACK_INDEX)));
    }

    @Test
    @DisabledIfSystemProperty(named = GoldenFixtures.REGENERATE, matches = "true")
    void theFixtureIsReadAndAgreesWithThePackIndexes() throws IOException {
        Path dir = storeCopy("store");
        Files.copy(GoldenFixtures.root().resolve(FIXTURE), dir.resolve(StoreLayout.MULTI_PACK_INDEX));
        MultiPackIndex midx = MultiPackIndex.open(dir.resolve(StoreLayout.MULTI_PACK_INDEX), FIXTURE);
        midx.verify();
        Map<String, byte[]> tree = GoldenFixtures.tree(dir);
        int checked = 0;
        for (Map.Entry<String, byte[]> e : tree.entrySet()) {
            if (!e.getKey().endsWith(".idx")) {
                continue;
            }
            PackRecords records = PackFiles.decodeIndex(e.getKey(), e.getValue());
            for (int i = 0; i < records.count(); i++) {
                long at = midx.find(records.records(), records.idOffset(i));
                assertThat(at).isNotNegative();
                assertThat(midx.packId(midx.pack(at))).isEqualTo(records.packId());
                assertThat(midx.packSize(midx.pack(at))).isEqualTo(records.packSize());
                assertThat(midx.offset(at)).isEqualTo(records.offset(i));
                assertThat(midx.rawLength(at)).isEqualTo(records.rawLength(i));
                assertThat(midx.storedLength(at)).isEqualTo(records.storedLength(i));
                assertThat(midx.compression(at)).isEqualTo(records.compression(i));
                checked++;
            }
        }
        assertThat(checked).isEqualTo(midx.count()).isEqualTo(7);
        try (ChunkStore store = ChunkStore.open(dir)) {
            assertThat(store.catalog().separateIndexes()).isZero();
            assertThat(store.catalog().index().multiPackIndex()).isNotNull();
            for (GoldenFixtures.FixtureFile f : GoldenFixtures.files()) {
                Oid oid = StoreTestData.sha256(f.content());
                Manifest m = store.manifest(oid);
                try (InputStream in = store.open(oid)) {
                    assertThat(Arrays.equals(in.readAllBytes(), f.content())).as(f.path()).isTrue();
                }
                assertThat(m.size()).isEqualTo(f.content().length);
            }
        }
    }

    /** Writes the fixture from the golden store (which must be current first). */
    @Test
    @EnabledIfSystemProperty(named = GoldenFixtures.REGENERATE, matches = "true")
    void regenerate() throws IOException {
        Path dir = GoldenFixtures.copy(GoldenFixtures.SOURCE.resolve("store"), temp.resolve("fresh"));
        try (ChunkStore store = ChunkStore.open(dir)) {
            store.consolidateIndexes(1);
        }
        Files.createDirectories(GoldenFixtures.SOURCE.resolve("midx"));
        Files.copy(dir.resolve(StoreLayout.MULTI_PACK_INDEX), GoldenFixtures.SOURCE.resolve(FIXTURE),
                StandardCopyOption.REPLACE_EXISTING);
    }
}
