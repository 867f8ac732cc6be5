package dev.mlv.store.pack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlv.store.GoldenFixtures;
import dev.mlv.store.backend.LocalBackend;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packs and indexes of the golden store ({@link GoldenFixtures}): read by today's footer and
 * index readers, and written again byte for byte by {@link PackWriter} and
 * {@link PackFiles#encodeIndex} from the entries they hold. Unlike {@code StoreFormatGoldenTest},
 * which puts the seeded files through the whole pipeline, this feeds the writer each entry's
 * stored bytes as they are, so it fails only on a change to the pack or index layout, never on a
 * new zstd release compressing a chunk differently.
 */
@DisabledIfSystemProperty(named = GoldenFixtures.REGENERATE, matches = "true")
class PackFormatGoldenTest {
    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    Path temp;

    /** One pack of the fixture store: its key, its id (its name) and the bytes of it and its index. */
    private record FixturePack(String key, byte[] id, byte[] pack, byte[] index) {
        String indexKey() {
            return "index/" + HEX.formatHex(id) + ".idx";
        }
    }

    @Test
    void todaysReadersReadEveryFooterAndIndexAndEntry() throws IOException {
        TreeSet<Integer> compressions = new TreeSet<>();
        try (LocalBackend backend = new LocalBackend(GoldenFixtures.copy(storeDir(), temp.resolve("store")))) {
            for (FixturePack p : fixturePacks()) {
                PackRecords footer = PackFiles.readFooter(backend, p.key(), p.id());
                PackRecords index = PackFiles.decodeIndex(p.indexKey(), p.index());

                assertThat(footer.packSize()).as(p.key()).isEqualTo(p.pack().length);
                assertThat(index.packId()).as(p.indexKey()).isEqualTo(p.id());
                assertThat(index.packSize()).as(p.indexKey()).isEqualTo(p.pack().length);
                assertThat(index.records()).as("index records are the footer's, sorted by id")
                        .isEqualTo(footer.sortedById().records());
                for (int i = 0; i < footer.count(); i++) {
                    assertEntryMatchesItsRecord(p, footer, i);
                    compressions.add(footer.compression(i));
                }
            }
        }
        // The fixture covers both entry forms, so a reader that mishandles either fails above.
        assertThat(compressions).containsExactly(PackFormat.COMPRESSION_NONE, PackFormat.COMPRESSION_ZSTD);
    }

    @Test
    void encodeIndexReproducesEachIndexFromItsPack() throws IOException {
        try (LocalBackend backend = new LocalBackend(GoldenFixtures.copy(storeDir(), temp.resolve("store")))) {
            for (FixturePack p : fixturePacks()) {
                byte[] written = PackFiles.encodeIndex(PackFiles.readFooter(backend, p.key(), p.id()));

                GoldenFixtures.assertSameBytes(p.indexKey(), p.index(), written);
            }
        }
    }

    @Test
    void packWriterReproducesEachPackFromItsEntries() throws IOException {
        for (FixturePack p : fixturePacks()) {
            PackRecords footer = PackFiles.decodeIndex(p.indexKey(), p.index());
            Path staging = temp.resolve("staging.pack");
            Files.deleteIfExists(staging);
            Files.createFile(staging);
            PackRecords written;
            // Small buffers: a pack of two entries still crosses many buffer boundaries.
            try (WriteBehind io = new WriteBehind(4096, 2, false, 4096)) {
                PackWriter writer = new PackWriter(staging, io);
                for (int i : entryOrder(footer)) {
                    int at = (int) footer.offset(i) + PackFormat.ENTRY_HEADER_SIZE;
                    writer.add(footer.records(), footer.idOffset(i), footer.rawLength(i), footer.compression(i),
                            p.pack(), at, footer.storedLength(i));
                }
                written = writer.finish();
                io.drain();
            }

            GoldenFixtures.assertSameBytes(p.key(), p.pack(), Files.readAllBytes(staging));
            assertThat(written.packId()).as("id of " + p.key()).isEqualTo(p.id());
        }
    }

    private static void assertEntryMatchesItsRecord(FixturePack p, PackRecords footer, int i) {
        int at = (int) footer.offset(i);
        ByteBuffer header = ByteBuffer.wrap(p.pack(), at, PackFormat.ENTRY_HEADER_SIZE);
        String what = p.key() + " entry " + i;
        assertThat(Arrays.copyOfRange(p.pack(), at, at + 32)).as(what + " id")
                .isEqualTo(Arrays.copyOfRange(footer.records(), footer.idOffset(i), footer.idOffset(i) + 32));
        assertThat(header.getInt(at + 32)).as(what + " raw length").isEqualTo(footer.rawLength(i));
        assertThat(header.getInt(at + 36)).as(what + " stored length").isEqualTo(footer.storedLength(i));
        assertThat(p.pack()[at + 40] & 0xff).as(what + " compression").isEqualTo(footer.compression(i));
        int dataAt = at + PackFormat.ENTRY_HEADER_SIZE;
        byte[] raw = footer.compression(i) == PackFormat.COMPRESSION_ZSTD
                ? ChunkCompressor.decompress(p.pack(), dataAt, footer.storedLength(i), footer.rawLength(i))
                : Arrays.copyOfRange(p.pack(), dataAt, dataAt + footer.storedLength(i));
        assertThat(sha256(raw)).as(what + ": SHA-256 of its decoded bytes is its id")
                .isEqualTo(Arrays.copyOfRange(footer.records(), footer.idOffset(i), footer.idOffset(i) + 32));
    }

    /** Record numbers in the order their entries lie in the pack (an index lists them by id). */
    private static List<Integer> entryOrder(PackRecords records) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < records.count(); i++) {
            order.add(i);
        }
        order.sort((a, b) -> Long.compare(records.offset(a), records.offset(b)));
        return order;
    }

    private static Path storeDir() {
        return GoldenFixtures.root().resolve("store");
    }

    private static List<FixturePack> fixturePacks() throws IOException {
        List<FixturePack> packs = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : GoldenFixtures.tree(storeDir()).entrySet()) {
            String key = e.getKey();
            if (key.startsWith("packs/") && key.endsWith(".pack")) {
                String hex = key.substring(key.lastIndexOf('/') + 1, key.length() - ".pack".length());
                byte[] index = Files.readAllBytes(storeDir().resolve("index/" + hex + ".idx"));
                packs.add(new FixturePack(key, HEX.parseHex(hex), e.getValue(), index));
            }
        }
        assertThat(packs).as("packs in the fixture store").hasSize(2);
        return packs;
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
