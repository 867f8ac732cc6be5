package dev.mlv.store;

import static dev.mlv.store.StoreTestData.random;
import static dev.mlv.store.StoreTestData.sha256;
import static dev.mlv.store.StoreTestData.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlv.store.manifest.Manifest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole-file read path: spans of back-to-back pack entries read ahead on a pool and handed
 * over in order. The file here crosses many small packs, mixes compressed and raw chunks, and
 * repeats a block (so some chunks are found far from their neighbours), which makes spans of
 * every shape.
 */
class ContentInputStreamTest {
    @TempDir
    Path dir;

    private static byte[] mixedFile() {
        byte[] random = random(7, 3 * 1024 * 1024);
        byte[] txt = text(8, 2 * 1024 * 1024);
        byte[] data = new byte[random.length + txt.length + 1024 * 1024 + 333];
        System.arraycopy(random, 0, data, 0, random.length);
        System.arraycopy(txt, 0, data, random.length, txt.length);
        // The first MiB again: its chunks are already stored, earlier in other packs.
        System.arraycopy(random, 0, data, random.length + txt.length, 1024 * 1024);
        return data;
    }

    private ChunkStore store() throws IOException {
        return ChunkStore.init(dir, StoreOptions.defaults().withPackSize(300 * 1024));
    }

    @Test
    void everyWayOfReadingReturnsTheFile() throws IOException {
        byte[] data = mixedFile();
        try (ChunkStore store = store()) {
            Oid oid = store.put(new ByteArrayInputStream(data)).pointer().oid();
            assertThat(oid).isEqualTo(sha256(data));

            try (InputStream in = store.open(oid)) {
                assertThat(in.readAllBytes()).isEqualTo(data);
                assertThat(in.read()).isEqualTo(-1);
            }
            try (InputStream in = store.open(oid)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                assertThat(in.transferTo(out)).isEqualTo(data.length);
                assertThat(out.toByteArray()).isEqualTo(data);
            }
            try (InputStream in = store.open(oid, data.length)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] buf = new byte[777];
                for (int i = 0; i < 1000; i++) {
                    out.write(in.read()); // single bytes first, then odd-sized reads
                }
                int n;
                while ((n = in.read(buf, 3, buf.length - 3)) >= 0) {
                    assertThat(n).isPositive();
                    out.write(buf, 3, n);
                }
                assertThat(out.toByteArray()).isEqualTo(data);
            }
            assertThat(store.verify(oid).ok()).isTrue();
        }
    }

    @Test
    void closingMidwayStopsAndTheStoreStaysUsable() throws IOException {
        byte[] data = mixedFile();
        try (ChunkStore store = store()) {
            Oid oid = store.put(new ByteArrayInputStream(data)).pointer().oid();
            for (int i = 0; i < 20; i++) {
                try (InputStream in = store.open(oid)) {
                    assertThat(in.readNBytes(100_000 * (i + 1))).isEqualTo(Arrays.copyOf(data, 100_000 * (i + 1)));
                }
            }
            try (InputStream in = store.open(oid)) {
                assertThat(in.readAllBytes()).isEqualTo(data);
            }
        }
    }

    @Test
    void aCorruptChunkStopsTheStreamBeforeAnyOfItsBytes() throws IOException {
        byte[] data = mixedFile();
        Oid oid;
        Manifest manifest;
        try (ChunkStore store = store()) {
            oid = store.put(new ByteArrayInputStream(data)).pointer().oid();
            manifest = store.manifest(oid);
        }
        // Damage the last byte of the pack holding the chunk in the middle of the file.
        List<Path> packs;
        try (Stream<Path> s = Files.walk(dir.resolve("packs"))) {
            packs = s.filter(p -> p.toString().endsWith(".pack")).sorted().toList();
        }
        int middle = manifest.chunkCount() / 2;
        long damagedAt = -1;
        for (Path pack : packs) {
            byte[] bytes = Files.readAllBytes(pack);
            byte[] id = manifest.chunkId(middle).toBytes();
            int at = indexOf(bytes, id);
            if (at >= 0) {
                bytes[at + 44 + 10] ^= 0x01;
                Files.write(pack, bytes);
                damagedAt = manifest.chunkStart(middle);
                break;
            }
        }
        assertThat(damagedAt).isPositive();
        try (ChunkStore store = ChunkStore.open(dir)) {
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            try (InputStream in = store.open(oid)) {
                assertThatThrownBy(() -> in.transferTo(got)).isInstanceOf(CorruptContentException.class)
                        .hasMessageContaining(manifest.chunkId(middle).hex());
            }
            byte[] prefix = got.toByteArray();
            assertThat(prefix.length).isLessThanOrEqualTo((int) damagedAt);
            assertThat(prefix).isEqualTo(Arrays.copyOf(data, prefix.length));
        }
    }

    @Test
    void withoutPerChunkHashesADamagedChunkStillFailsTheFileCheck() throws IOException {
        byte[] data = mixedFile();
        Oid oid;
        Manifest manifest;
        try (ChunkStore store = store()) {
            oid = store.put(new ByteArrayInputStream(data)).pointer().oid();
            manifest = store.manifest(oid);
        }
        try (ChunkStore store = ChunkStore.open(dir)) {
            // undamaged: the whole file comes back, its hash matching its oid
            try (InputStream in = new ContentInputStream(manifest, store.catalog(), true).fileCheckOnly()) {
                assertThat(in.readAllBytes()).isEqualTo(data);
            }
            // a stream that does not hash the whole file may not skip the chunks' hashes
            assertThatThrownBy(() -> new ContentInputStream(manifest, store.catalog(), false).fileCheckOnly())
                    .isInstanceOf(IllegalStateException.class);
        }
        // a data byte of the middle chunk flipped, its entry header intact: only a hash can tell
        int middle = manifest.chunkCount() / 2;
        boolean damaged = false;
        try (Stream<Path> s = Files.walk(dir.resolve("packs"))) {
            for (Path pack : s.filter(p -> p.toString().endsWith(".pack")).toList()) {
                byte[] bytes = Files.readAllBytes(pack);
                int at = indexOf(bytes, manifest.chunkId(middle).toBytes());
                if (at >= 0 && !damaged) {
                    bytes[at + 44 + 10] ^= 0x01;
                    Files.write(pack, bytes);
                    damaged = true;
                }
            }
        }
        assertThat(damaged).isTrue();
        try (ChunkStore store = ChunkStore.open(dir);
             InputStream in = new ContentInputStream(manifest, store.catalog(), true).fileCheckOnly()) {
            assertThatThrownBy(() -> in.transferTo(OutputStream.nullOutputStream()))
                    .isInstanceOf(CorruptContentException.class)
                    .hasMessageContaining("hashes to");
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
