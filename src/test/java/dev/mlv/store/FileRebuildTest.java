package dev.mlv.store;

import static dev.mlv.store.StoreTestData.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ChunkStore#writeTo}: a checkout's new file written from the store, the chunks it shares
 * with the file it replaces copied from that file, every chunk read from a pack checked.
 */
class FileRebuildTest {
    @TempDir
    Path dir;

    /** v1 of 3 MB, and v2: v1 with 2% rewritten in two places. */
    private static byte[][] versions() {
        byte[] v1 = random(11, 3_000_000);
        byte[] v2 = v1.clone();
        System.arraycopy(random(12, 30_000), 0, v2, 700_000, 30_000);
        System.arraycopy(random(13, 30_000), 0, v2, 2_100_000, 30_000);
        return new byte[][] {v1, v2};
    }

    private long write(ChunkStore store, Pointer p, Path out, Oid previous, Path previousFile) throws IOException {
        try (FileChannel o = FileChannel.open(out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             FileChannel old = previousFile == null ? null : FileChannel.open(previousFile, StandardOpenOption.READ)) {
            return store.writeTo(p.oid(), p.size(), o, previous, old, ProgressListener.NONE);
        }
    }

    @Test
    void chunksSharedWithTheReplacedFileAreCopiedFromItAndOnlyTheRestReadFromPacks() throws IOException {
        byte[][] v = versions();
        Path v1File = dir.resolve("v1.bin");
        Files.write(v1File, v[0]);
        try (ChunkStore store = ChunkStore.init(dir.resolve("store"))) {
            Pointer p1 = store.put(new ByteArrayInputStream(v[0])).pointer();
            Pointer p2 = store.put(new ByteArrayInputStream(v[1])).pointer();
            long readsBefore = store.chunkReads();
            long copied = write(store, p2, dir.resolve("v2.bin"), p1.oid(), v1File);
            assertThat(Files.readAllBytes(dir.resolve("v2.bin"))).isEqualTo(v[1]);
            assertThat(copied).as("bytes copied from the old version").isGreaterThan(v[1].length * 8L / 10);
            long reads = store.chunkReads() - readsBefore;
            assertThat(reads).as("chunks read from packs: only the rewritten ones and their neighbours").isBetween(1L, 12L);

            try (FileChannel o = FileChannel.open(dir.resolve("v2.bin"), StandardOpenOption.WRITE)) {
                assertThat(o.size()).isEqualTo(v[1].length);
            }

            // without a previous file, everything comes from packs, as before
            assertThat(write(store, p2, dir.resolve("v2-full.bin"), null, null)).isZero();
            assertThat(Files.readAllBytes(dir.resolve("v2-full.bin"))).isEqualTo(v[1]);
        }
    }

    @Test
    void aPreviousFileOfAnotherSizeThanItsVersionIsNotUsed() throws IOException {
        byte[][] v = versions();
        Path shorter = dir.resolve("v1-cut.bin");
        Files.write(shorter, java.util.Arrays.copyOf(v[0], v[0].length - 1));
        try (ChunkStore store = ChunkStore.init(dir.resolve("store"))) {
            Pointer p1 = store.put(new ByteArrayInputStream(v[0])).pointer();
            Pointer p2 = store.put(new ByteArrayInputStream(v[1])).pointer();
            assertThat(write(store, p2, dir.resolve("v2.bin"), p1.oid(), shorter)).isZero();
            assertThat(Files.readAllBytes(dir.resolve("v2.bin"))).isEqualTo(v[1]);
        }
    }

    @Test
    void aDamagedChunkReadFromAPackFailsTheWrite() throws IOException {
        byte[] data = random(14, 2_000_000);
        try (ChunkStore store = ChunkStore.init(dir.resolve("store"))) {
            Pointer p = store.put(new ByteArrayInputStream(data)).pointer();
            Path pack = onlyPack(dir.resolve("store"));
            flip(pack, Files.size(pack) / 2);
            assertThatThrownBy(() -> write(store, p, dir.resolve("out.bin"), null, null))
                    .isInstanceOf(CorruptContentException.class);
        }
    }

    @Test
    void aDamagedChunkReadFromAPackFailsTheWriteWhileTheSharedOnesAreCopied() throws IOException {
        byte[][] v = versions();
        Path v1File = dir.resolve("v1.bin");
        Files.write(v1File, v[0]);
        try (ChunkStore store = ChunkStore.init(dir.resolve("store"))) {
            Pointer p1 = store.put(new ByteArrayInputStream(v[0])).pointer();
            List<Path> before = packs(dir.resolve("store"));
            Pointer p2 = store.put(new ByteArrayInputStream(v[1])).pointer();
            List<Path> added = new java.util.ArrayList<>(packs(dir.resolve("store")));
            added.removeAll(before);
            assertThat(added).hasSize(1);
            Path v2Pack = added.get(0); // holds only the chunks v2 does not share with v1
            flip(v2Pack, Files.size(v2Pack) / 2);
            assertThatThrownBy(() -> write(store, p2, dir.resolve("v2.bin"), p1.oid(), v1File))
                    .isInstanceOf(CorruptContentException.class);
        }
    }

    @Test
    void theSizeThePointerClaimsMustBeTheStoredOne() throws IOException {
        try (ChunkStore store = ChunkStore.init(dir.resolve("store"))) {
            Pointer p = store.put(new ByteArrayInputStream(random(15, 100_000))).pointer();
            Pointer lying = new Pointer(p.oid(), p.size() + 1);
            assertThatThrownBy(() -> write(store, lying, dir.resolve("out.bin"), null, null))
                    .isInstanceOf(CorruptContentException.class).hasMessageContaining("the pointer says");
        }
    }

    private static List<Path> packs(Path store) throws IOException {
        try (Stream<Path> s = Files.walk(store.resolve("packs"))) {
            return s.filter(p -> p.toString().endsWith(".pack")).toList();
        }
    }

    private static Path onlyPack(Path store) throws IOException {
        try (Stream<Path> s = Files.walk(store.resolve("packs"))) {
            List<Path> packs = s.filter(p -> p.toString().endsWith(".pack")).toList();
            assertThat(packs).hasSize(1);
            return packs.get(0);
        }
    }

    private static void flip(Path file, long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0x5a);
        }
    }
}
