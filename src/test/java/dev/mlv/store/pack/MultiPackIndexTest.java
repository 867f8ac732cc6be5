package dev.mlv.store.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlv.store.CorruptContentException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The multi-pack index and the pack index read in place: lookups agree with the pack indexes they
 * were merged from on many random ids, present and absent, also when the file is mapped in
 * segments small enough that records straddle segment boundaries.
 */
class MultiPackIndexTest {
    @TempDir
    Path temp;

    /** A pack of {@code count} random chunk ids, some shared with {@code shareFrom}. */
    private static PackRecords pack(Random random, int count, PackRecords shareFrom) {
        byte[] records = new byte[count * PackFormat.RECORD_SIZE];
        long offset = PackFormat.PACK_HEADER_SIZE;
        for (int i = 0; i < count; i++) {
            byte[] id = new byte[32];
            if (shareFrom != null && i % 5 == 0 && i < shareFrom.count()) {
                System.arraycopy(shareFrom.records(), shareFrom.idOffset(i), id, 0, 32);
            } else {
                random.nextBytes(id);
            }
            int raw = 1 + random.nextInt(131072);
            int stored = random.nextBoolean() ? raw : 1 + random.nextInt(raw);
            PackFormat.putRecord(records, i * PackFormat.RECORD_SIZE, id, 0, offset, raw, stored, stored == raw ? 0 : 1);
            offset += PackFormat.ENTRY_HEADER_SIZE + stored;
        }
        byte[] packId = new byte[32];
        random.nextBytes(packId);
        return new PackRecords(packId, offset + count * 56L + 24, records, count);
    }

    private PackIndexFile indexFile(PackRecords pack, int shift) throws IOException {
        Path file = Files.write(temp.resolve(Arrays.hashCode(pack.packId()) + ".idx"), PackFiles.encodeIndex(pack));
        return PackIndexFile.open(file.toString(), Slab.map(file, shift));
    }

    private static MultiPackIndex.Source source(PackIndexFile f) {
        return new MultiPackIndex.Source(f, new byte[][] {f.packId()}, new long[] {f.packSize()});
    }

    @Test
    void lookupsAgreeWithThePackIndexesOnRandomIdsPresentAndAbsent() throws IOException {
        Random random = new Random(0x6d6c7619L);
        List<PackRecords> packs = new ArrayList<>();
        for (int p = 0; p < 12; p++) {
            packs.add(pack(random, 200 + random.nextInt(2000), p == 0 ? null : packs.get(p - 1)));
        }
        List<PackIndexFile> files = new ArrayList<>();
        List<MultiPackIndex.Source> sources = new ArrayList<>();
        for (PackRecords p : packs) {
            PackIndexFile f = indexFile(p, 12); // 4 KiB segments: many records straddle a boundary
            files.add(f);
            sources.add(source(f));
        }
        Path file = temp.resolve("multi-pack.midx");
        MultiPackIndex.Written written = MultiPackIndex.write(file, sources);
        MultiPackIndex midx = MultiPackIndex.open(Slab.map(file, 13), "test midx");
        midx.verify();

        List<byte[]> probes = new ArrayList<>();
        for (PackRecords p : packs) {
            for (int i = 0; i < p.count(); i++) {
                probes.add(Arrays.copyOfRange(p.records(), p.idOffset(i), p.idOffset(i) + 32));
            }
        }
        long distinct = probes.stream().map(ByteBuffer::wrap).distinct().count();
        for (int k = 0; k < 5000; k++) {
            byte[] absent = new byte[32];
            random.nextBytes(absent);
            probes.add(absent);
            byte[] neighbour = probes.get(random.nextInt(probes.size() - k - 1)).clone();
            neighbour[31] ^= 1; // differs from a present id in its last bit only
            probes.add(neighbour);
        }
        assertThat(written.chunks()).isEqualTo(distinct).isEqualTo(midx.count());
        assertThat(written.packs()).isEqualTo(packs.size()).isEqualTo(midx.packCount());

        int present = 0;
        for (byte[] id : probes) {
            int first = -1;
            for (int f = 0; f < files.size() && first < 0; f++) {
                if (files.get(f).find(id, 0) >= 0) {
                    first = f;
                }
            }
            long at = midx.find(id, 0);
            if (first < 0) {
                assertThat(at).as("an absent id").isEqualTo(-1);
                continue;
            }
            present++;
            PackIndexFile f = files.get(first);
            long i = f.find(id, 0);
            assertThat(at).isNotNegative();
            assertThat(midx.packId(midx.pack(at))).isEqualTo(f.packId());
            assertThat(midx.packSize(midx.pack(at))).isEqualTo(f.packSize());
            assertThat(midx.offset(at)).isEqualTo(f.offset(i));
            assertThat(midx.rawLength(at)).isEqualTo(f.rawLength(i));
            assertThat(midx.storedLength(at)).isEqualTo(f.storedLength(i));
            assertThat(midx.compression(at)).isEqualTo(f.compression(i));
            byte[] back = new byte[32];
            midx.id(at, back, 0);
            assertThat(back).isEqualTo(id);
        }
        assertThat(present).isGreaterThan(10000);
    }

    @Test
    void aPackIndexIsSearchedInPlaceAndAgreesWithItsDecodedRecords() throws IOException {
        Random random = new Random(7);
        PackRecords pack = pack(random, 3000, null);
        PackIndexFile f = indexFile(pack, 10);
        PackRecords decoded = PackFiles.decodeIndex("x", PackFiles.encodeIndex(pack));
        for (int i = 0; i < decoded.count(); i++) {
            long at = f.find(decoded.records(), decoded.idOffset(i));
            assertThat(at).isEqualTo(i);
            assertThat(f.offset(at)).isEqualTo(decoded.offset(i));
            assertThat(f.storedLength(at)).isEqualTo(decoded.storedLength(i));
        }
        assertThat(f.find(new byte[32], 0)).isEqualTo(-1);
    }

    @Test
    void theFirstSourceWinsASharedChunk() throws IOException {
        Random random = new Random(11);
        PackRecords a = pack(random, 300, null);
        PackRecords b = pack(random, 300, a); // every 5th id shared with a
        Path file = temp.resolve("m.midx");
        MultiPackIndex.write(file, List.of(source(indexFile(b, 30)), source(indexFile(a, 30))));
        MultiPackIndex both = MultiPackIndex.open(file, "both");
        both.verify();
        assertThat(both.count()).isEqualTo(540);
        byte[] shared = Arrays.copyOfRange(a.records(), a.idOffset(0), a.idOffset(0) + 32);
        assertThat(both.packId(both.pack(both.find(shared, 0)))).isEqualTo(b.packId());
    }

    @Test
    void anEmptyMultiPackIndexIsValid() throws IOException {
        Path file = temp.resolve("empty.midx");
        MultiPackIndex.Written w = MultiPackIndex.write(file, List.of());
        assertThat(w.bytes()).isEqualTo(MultiPackIndex.FIXED_SIZE);
        MultiPackIndex m = MultiPackIndex.open(file, "empty");
        m.verify();
        assertThat(m.find(new byte[32], 0)).isEqualTo(-1);
    }

    @Test
    void damageIsFoundByOpenOrByVerify() throws IOException {
        Random random = new Random(3);
        PackIndexFile f = indexFile(pack(random, 500, null), 30);
        Path file = temp.resolve("d.midx");
        MultiPackIndex.write(file, List.of(source(f)));
        byte[] good = Files.readAllBytes(file);

        byte[] truncated = Arrays.copyOf(good, good.length - 10);
        assertThatThrownBy(() -> MultiPackIndex.open(Slab.wrap(truncated), "t"))
                .isInstanceOf(CorruptContentException.class).hasMessageContaining("length");
        byte[] badMagic = good.clone();
        badMagic[0] = 'X';
        assertThatThrownBy(() -> MultiPackIndex.open(Slab.wrap(badMagic), "m"))
                .isInstanceOf(CorruptContentException.class).hasMessageContaining("not a multi-pack index");
        byte[] badFanout = good.clone();
        badFanout[good.length - 4 - 8] ^= 1; // fan-out entry 255 no longer the record count
        assertThatThrownBy(() -> MultiPackIndex.open(Slab.wrap(badFanout), "f"))
                .isInstanceOf(CorruptContentException.class).hasMessageContaining("fan-out");
        byte[] badRecord = good.clone();
        badRecord[MultiPackIndex.HEADER_SIZE + MultiPackIndex.PACK_ENTRY_SIZE + 56 * 7 + 35] ^= 1; // an offset
        MultiPackIndex opened = MultiPackIndex.open(Slab.wrap(badRecord), "r"); // structure intact: opens
        assertThatThrownBy(opened::verify).isInstanceOf(CorruptContentException.class).hasMessageContaining("checksum");
    }

    @Test
    void slabReadsAcrossSegmentBoundariesMatchTheFile() throws IOException {
        byte[] bytes = new byte[10_000];
        new Random(5).nextBytes(bytes);
        Path file = Files.write(temp.resolve("slab"), bytes);
        Slab slab = Slab.map(file, 8); // 256-byte segments
        ByteBuffer expected = ByteBuffer.wrap(bytes);
        for (int pos = 0; pos + 64 <= bytes.length; pos += 13) {
            assertThat(slab.getLong(pos)).isEqualTo(expected.getLong(pos));
            assertThat(slab.getInt(pos + 3)).isEqualTo(expected.getInt(pos + 3));
            byte[] out = new byte[64];
            slab.get(pos, out, 0, 64);
            assertThat(out).isEqualTo(Arrays.copyOfRange(bytes, pos, pos + 64));
            assertThat(slab.compareId(pos, bytes, pos)).isZero();
        }
        java.util.zip.CRC32C a = new java.util.zip.CRC32C();
        slab.update(a, 5, 9_999);
        java.util.zip.CRC32C b = new java.util.zip.CRC32C();
        b.update(bytes, 5, 9_994);
        assertThat(a.getValue()).isEqualTo(b.getValue());
    }
}
