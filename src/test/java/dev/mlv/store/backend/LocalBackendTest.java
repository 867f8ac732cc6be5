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
    void rejectsKeysThatEscapeTheStore() throws Exception {
        try (LocalBackend b = new LocalBackend(dir)) {
            for (String bad : new String[] {"../x", "/abs", "a//b", "a/./b", "tmp/x", "a b", "dir/"}) {
                assertThatThrownBy(() -> b.write(bad, new byte[0])).as(bad).isInstanceOf(IllegalArgumentException.class);
            }
        }
    }
}
