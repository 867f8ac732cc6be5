package dev.mlv.store.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlv.store.ContentNotFoundException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Contract of {@link Backend}, run against the local directory backend. */
class LocalBackendTest {
    @TempDir
    Path dir;

    @Test
    void writesReadsListsAndDeletesObjects() throws Exception {
        try (LocalBackend b = new LocalBackend(dir)) {
            b.write("packs/ab/abc.pack", "hello world".getBytes(StandardCharsets.UTF_8));
            b.write("index/abc.idx", new byte[] {1, 2, 3});
            assertThat(b.exists("packs/ab/abc.pack")).isTrue();
            assertThat(b.size("packs/ab/abc.pack")).isEqualTo(11);
            assertThat(new String(b.read("packs/ab/abc.pack", 6, 5), StandardCharsets.UTF_8)).isEqualTo("world");
            assertThat(b.readAll("index/abc.idx")).containsExactly(1, 2, 3);
            assertThat(b.list("packs/")).containsExactly("packs/ab/abc.pack");
            assertThat(b.list("")).containsExactlyInAnyOrder("packs/ab/abc.pack", "index/abc.idx");
            assertThatThrownBy(() -> b.read("packs/ab/abc.pack", 8, 10)).isInstanceOf(java.io.EOFException.class);
            b.delete("packs/ab/abc.pack");
            assertThat(b.exists("packs/ab/abc.pack")).isFalse();
            assertThatThrownBy(() -> b.read("packs/ab/abc.pack", 0, 1)).isInstanceOf(ContentNotFoundException.class);
            assertThatThrownBy(() -> b.size("nope")).isInstanceOf(ContentNotFoundException.class);
        }
    }

    @Test
    void sequentialAndPositionalReadsReturnTheSameBytesAtAnyOffset() throws Exception {
        byte[] data = new byte[3 * 1024 * 1024 + 4321];
        new java.util.Random(5).nextBytes(data);
        try (LocalBackend b = new LocalBackend(dir)) {
            b.write("packs/ab/big.pack", data);
            java.util.Random r = new java.util.Random(6);
            for (int i = 0; i < 40; i++) {
                int length = i % 4 == 0 ? 1 + r.nextInt(4096) : 256 * 1024 + r.nextInt(1_500_000);
                int offset = r.nextInt(data.length - length + 1);
                byte[] seq = new byte[length + 7];
                b.readSequential("packs/ab/big.pack", offset, seq, 7, length);
                assertThat(java.util.Arrays.copyOfRange(seq, 7, seq.length))
                        .as("offset %d length %d", offset, length)
                        .isEqualTo(java.util.Arrays.copyOfRange(data, offset, offset + length));
            }
            // the very end, and past it
            byte[] tail = new byte[300_000];
            b.readSequential("packs/ab/big.pack", data.length - tail.length, tail, 0, tail.length);
            assertThat(tail).isEqualTo(java.util.Arrays.copyOfRange(data, data.length - tail.length, data.length));
            assertThatThrownBy(() -> b.readSequential("packs/ab/big.pack", data.length - 1000, new byte[300_000], 0,
                    300_000)).isInstanceOf(java.io.EOFException.class);
            assertThatThrownBy(() -> b.readSequential("packs/ab/none.pack", 0, new byte[300_000], 0, 300_000))
                    .isInstanceOf(ContentNotFoundException.class);
        }
    }

    @Test
    void writeFileMovesAStagedFileIntoPlaceAndLeavesNoTempFiles() throws Exception {
        try (LocalBackend b = new LocalBackend(dir)) {
            Path staged = b.newTempFile("x");
            Files.writeString(staged, "payload");
            b.writeFile("manifests/ab/abcd", staged);
            assertThat(staged).doesNotExist();
            assertThat(Files.readString(dir.resolve("manifests/ab/abcd"))).isEqualTo("payload");
            Path outside = Files.writeString(dir.resolveSibling(dir.getFileName() + "-outside"), "other");
            b.writeFile("manifests/cd/cdef", outside);
            assertThat(outside).doesNotExist();
            assertThat(b.readAll("manifests/cd/cdef")).isEqualTo("other".getBytes(StandardCharsets.UTF_8));
            try (var tmp = Files.list(b.tmpDir())) {
                assertThat(tmp).isEmpty();
            }
        }
    }

    @Test
    void writeFilesStoresABatchFromTmpAndFromElsewhereAndLeavesNoTempFiles() throws Exception {
        Path outside = Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-outside"));
        try (LocalBackend b = new LocalBackend(dir)) {
            java.util.List<java.util.Map.Entry<String, Path>> files = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                Path f = i % 5 == 0 ? outside.resolve("f" + i) : b.newTempFile("m" + i);
                Files.writeString(f, "manifest " + i);
                files.add(java.util.Map.entry(String.format("manifests/%02x/m%d", i, i), f));
            }
            b.writeFiles(files);
            for (int i = 0; i < 40; i++) {
                assertThat(new String(b.readAll(String.format("manifests/%02x/m%d", i, i)), StandardCharsets.UTF_8))
                        .isEqualTo("manifest " + i);
                assertThat(files.get(i).getValue()).doesNotExist();
            }
            try (var left = Files.list(dir.resolve("tmp"))) {
                assertThat(left).isEmpty();
            }
        }
    }

    @Test
    void writeAllStoresABatchOfBytesAndLeavesNoTempFiles() throws Exception {
        try (LocalBackend b = new LocalBackend(dir)) {
            java.util.List<java.util.Map.Entry<String, byte[]>> objects = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                objects.add(java.util.Map.entry(String.format("manifests/%02x/m%d", i % 7, i),
                        ("manifest " + i).getBytes(StandardCharsets.UTF_8)));
            }
            b.writeAll(objects);
            for (int i = 0; i < 40; i++) {
                assertThat(new String(b.readAll(String.format("manifests/%02x/m%d", i % 7, i)), StandardCharsets.UTF_8))
                        .isEqualTo("manifest " + i);
            }
            try (var left = Files.list(dir.resolve("tmp"))) {
                assertThat(left).isEmpty();
            }
        }
    }

    @Test
    void writeAllWithABadKeyWritesNothing() throws Exception {
        try (LocalBackend b = new LocalBackend(dir)) {
            java.util.List<java.util.Map.Entry<String, byte[]>> objects = new java.util.ArrayList<>();
            for (int i = 0; i < 10; i++) {
                objects.add(java.util.Map.entry("manifests/ab/m" + i, new byte[] {1}));
            }
            objects.add(java.util.Map.entry("../escape", new byte[] {1}));
            assertThatThrownBy(() -> b.writeAll(objects)).isInstanceOf(IllegalArgumentException.class);
            assertThat(dir.resolve("manifests")).doesNotExist();
            try (var left = Files.list(dir.resolve("tmp"))) {
                assertThat(left).isEmpty();
            }
        }
    }

    @Test
    void rejectsKeysThatEscapeTheStore() throws Exception {
        try (LocalBackend b = new LocalBackend(dir)) {
            for (String bad : new String[] {"../x", "/abs", "a//b", "a/./b", "tmp/x", "a b", "dir/"}) {
                assertThatThrownBy(() -> b.write(bad, new byte[0])).as(bad).isInstanceOf(IllegalArgumentException.class);
            }
        }
    }
}
