package dev.mlv.store;

import static dev.mlv.store.StoreTestData.random;
import static dev.mlv.store.StoreTestData.readAll;
import static dev.mlv.store.StoreTestData.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pack writes through O_DIRECT (with zero padding cut off by truncation) and through the page
 * cache must leave byte-identical stores: the write path is an implementation detail, the bytes
 * are the format.
 */
class PackWriteModesTest {
    @TempDir
    Path dir;

    @Test
    void directAndBufferedWritesProduceIdenticalPacks() throws IOException {
        // Several packs (1 MiB each) and many 4 MiB write buffers' worth, with compressible and
        // incompressible chunks so entries and pack ends fall at unaligned offsets.
        byte[] data = new byte[7 * 1024 * 1024 + 12345];
        System.arraycopy(random(11, 5 * 1024 * 1024), 0, data, 0, 5 * 1024 * 1024);
        byte[] t = text(12, data.length - 5 * 1024 * 1024);
        System.arraycopy(t, 0, data, 5 * 1024 * 1024, t.length);

        Path direct = dir.resolve("direct");
        Path buffered = dir.resolve("buffered");
        PutResult a = putInto(direct, StoreOptions.defaults().withPackSize(1 << 20), data);
        PutResult b = putInto(buffered, StoreOptions.defaults().withPackSize(1 << 20).withDirectIo(false), data);

        assertThat(a).isEqualTo(b);
        assertThat(a.packsWritten()).isGreaterThan(3);
        assertThat(files(direct)).isEqualTo(files(buffered));
        for (String f : files(direct)) {
            assertThat(Files.readAllBytes(direct.resolve(f))).as(f).isEqualTo(Files.readAllBytes(buffered.resolve(f)));
        }
        try (ChunkStore store = ChunkStore.open(direct)) {
            assertThat(store.verify().problems()).isEmpty();
            try (InputStream in = store.open(a.pointer().oid())) {
                assertThat(readAll(in)).isEqualTo(data);
            }
        }
        try (Stream<Path> tmp = Files.list(direct.resolve("tmp"))) {
            assertThat(tmp).as("staging files left behind").isEmpty();
        }
    }

    private static PutResult putInto(Path storeDir, StoreOptions options, byte[] data) throws IOException {
        try (ChunkStore store = ChunkStore.init(storeDir, options)) {
            return store.put(new ByteArrayInputStream(data));
        }
    }

    private static List<String> files(Path root) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString())
                    .filter(p -> !p.startsWith("tmp")).sorted().forEach(out::add);
        }
        return out;
    }
}
