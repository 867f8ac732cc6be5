package dev.mlv.store.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlv.store.ContentNotFoundException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link Backend} must have; the store relies on nothing else. A backend
 * passes by extending this class (restic's backend test suite is the model). Each test gets an
 * empty store location of its own.
 */
abstract class BackendContractTest {
    /** Part size for backends with multipart uploads: S3's minimum, so tests stay small. */
    static final long PART_SIZE = 5L << 20;

    @TempDir
    Path scratch;

    private String location;
    private final List<Backend> opened = new ArrayList<>();

    /**
     * A backend on the store location {@code name}: two calls with the same name see the same
     * objects, a new name starts empty. Files larger than {@link #PART_SIZE} must take the
     * backend's large-object path, if it has one.
     */
    protected abstract Backend openBackend(String name) throws IOException;

    /** Checks that a large object really went up in {@code parts} parts; backends without parts skip it. */
    protected void assertStoredInParts(String name, String key, int parts) throws IOException {
    }

    /**
     * Leaves at store location {@code name} what a writer killed while writing {@code data} to
     * {@code key} leaves behind: the backend's unfinished write.
     */
    protected abstract void leaveIncompleteWrite(String name, String key, byte[] data) throws IOException;

    @BeforeEach
    void newLocation() {
        location = "t-" + UUID.randomUUID();
    }

    @AfterEach
    void closeBackends() throws IOException {
        for (Backend b : opened) {
            b.close();
        }
    }

    private Backend backend() throws IOException {
        Backend b = openBackend(location);
        opened.add(b);
        return b;
    }

    private static byte[] bytes(long seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void incompleteWritesAreListedApartFromObjectsAndCanBeAborted() throws IOException {
        Backend b = backend();
        b.write("packs/aa/done.pack", utf8("complete"));
        Instant before = Instant.now().minusSeconds(2);
        leaveIncompleteWrite(location, "packs/ab/killed.pack", bytes(5, 300_000));
        assertThat(b.list("")).containsExactly("packs/aa/done.pack");
        List<Backend.IncompleteWrite> left = b.listIncompleteWrites();
        assertThat(left).hasSize(1);
        Backend.IncompleteWrite w = left.get(0);
        assertThat(w.size()).isEqualTo(300_000);
        assertThat(w.started()).isBetween(before, Instant.now().plusSeconds(2));
        assertThat(w.key()).as("the key, where the backend knows it").isIn(null, "packs/ab/killed.pack");
        assertThat(w.describe()).contains(w.id());
        b.abortIncompleteWrite(w);
        assertThat(b.listIncompleteWrites()).isEmpty();
        b.abortIncompleteWrite(w); // gone already: no error
        assertThat(b.readAll("packs/aa/done.pack")).isEqualTo(utf8("complete"));
    }

    @Test
    void writtenObjectsReadBackWholeAndSurviveReopening() throws IOException {
        Backend b = backend();
        byte[] data = bytes(1, 100_000);
        b.write("packs/ab/abcd.pack", data);
        b.write("config.json", utf8("{}"));
        b.write("manifests/00/empty", new byte[0]);
        assertThat(b.readAll("packs/ab/abcd.pack")).isEqualTo(data);
        assertThat(b.readAll("config.json")).isEqualTo(utf8("{}"));
        assertThat(b.readAll("manifests/00/empty")).isEmpty();

        Backend again = backend();
        assertThat(again.readAll("packs/ab/abcd.pack")).isEqualTo(data);
        assertThat(again.list("")).containsExactlyInAnyOrder("packs/ab/abcd.pack", "config.json", "manifests/00/empty");
    }

    @Test
    void readsExactRangesIncludingTheEnd() throws IOException {
        Backend b = backend();
        byte[] data = bytes(2, 10_000);
        b.write("packs/00/p.pack", data);
        assertThat(b.read("packs/00/p.pack", 0, 10_000)).isEqualTo(data);
        assertThat(b.read("packs/00/p.pack", 0, 1)).containsExactly(data[0]);
        assertThat(b.read("packs/00/p.pack", 1234, 4321)).isEqualTo(Arrays.copyOfRange(data, 1234, 5555));
        assertThat(b.read("packs/00/p.pack", 9_976, 24)).isEqualTo(Arrays.copyOfRange(data, 9_976, 10_000));
        assertThat(b.read("packs/00/p.pack", 9_999, 1)).containsExactly(data[9_999]);
        assertThat(b.read("packs/00/p.pack", 500, 0)).isEmpty();
    }

    @Test
    void readingPastTheEndFailsWithEof() throws IOException {
        Backend b = backend();
        b.write("packs/00/p.pack", bytes(3, 100));
        assertThatThrownBy(() -> b.read("packs/00/p.pack", 98, 3)).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> b.read("packs/00/p.pack", 100, 1)).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> b.read("packs/00/p.pack", 5_000, 10)).isInstanceOf(EOFException.class);
    }

    @Test
    void existsAndSizeDescribeStoredObjects() throws IOException {
        Backend b = backend();
        b.write("index/a.idx", bytes(4, 777));
        b.write("index/empty.idx", new byte[0]);
        assertThat(b.exists("index/a.idx")).isTrue();
        assertThat(b.size("index/a.idx")).isEqualTo(777);
        assertThat(b.exists("index/empty.idx")).isTrue();
        assertThat(b.size("index/empty.idx")).isZero();
        assertThat(b.exists("index/b.idx")).isFalse();
        assertThat(b.exists("index")).as("a key prefix is not an object").isFalse();
    }

    @Test
    void missingObjectsFailWithContentNotFound() throws IOException {
        Backend b = backend();
        b.write("packs/00/other.pack", new byte[] {1});
        assertThatThrownBy(() -> b.readAll("packs/00/missing.pack")).isInstanceOf(ContentNotFoundException.class)
                .hasMessageContaining("packs/00/missing.pack");
        assertThatThrownBy(() -> b.read("packs/00/missing.pack", 0, 1)).isInstanceOf(ContentNotFoundException.class);
        assertThatThrownBy(() -> b.read("packs/00/missing.pack", 0, 0)).isInstanceOf(ContentNotFoundException.class);
        assertThatThrownBy(() -> b.size("packs/00/missing.pack")).isInstanceOf(ContentNotFoundException.class);
        assertThatThrownBy(() -> b.readAll("never/written")).isInstanceOf(ContentNotFoundException.class);
    }

    @Test
    void deleteRemovesAnObjectAndIgnoresMissingOnes() throws IOException {
        Backend b = backend();
        b.write("manifests/ab/one", utf8("1"));
        b.write("manifests/ab/two", utf8("2"));
        b.delete("manifests/ab/one");
        assertThat(b.exists("manifests/ab/one")).isFalse();
        assertThat(b.list("manifests/")).containsExactly("manifests/ab/two");
        assertThatThrownBy(() -> b.readAll("manifests/ab/one")).isInstanceOf(ContentNotFoundException.class);
        b.delete("manifests/ab/one");
        b.delete("manifests/zz/never");
        assertThat(b.readAll("manifests/ab/two")).isEqualTo(utf8("2"));
    }

    @Test
    void writingAnExistingKeyReplacesTheObject() throws IOException {
        Backend b = backend();
        b.write("config.json", utf8("first version, longer"));
        b.write("config.json", utf8("second"));
        assertThat(b.readAll("config.json")).isEqualTo(utf8("second"));
        assertThat(b.size("config.json")).isEqualTo(6);
        Path file = Files.write(scratch.resolve("third"), utf8("third"));
        b.writeFile("config.json", file);
        assertThat(b.readAll("config.json")).isEqualTo(utf8("third"));
        assertThat(b.list("")).containsExactly("config.json");
    }

    @Test
    void listReturnsExactlyTheKeysUnderAPrefix() throws IOException {
        Backend b = backend();
        List<String> all = List.of("config.json", "packs/ab/ab01.pack", "packs/cd/cd01.pack", "index/ab01.idx",
                "index/cd01.idx", "manifests/ab/ab02", "packsfile");
        for (String key : all) {
            b.write(key, utf8(key));
        }
        assertThat(b.list("")).containsExactlyInAnyOrderElementsOf(all);
        assertThat(b.list("packs/")).containsExactlyInAnyOrder("packs/ab/ab01.pack", "packs/cd/cd01.pack");
        assertThat(b.list("packs/ab/")).containsExactly("packs/ab/ab01.pack");
        assertThat(b.list("packs")).containsExactlyInAnyOrder("packs/ab/ab01.pack", "packs/cd/cd01.pack", "packsfile");
        assertThat(b.list("index/ab")).containsExactly("index/ab01.idx");
        assertThat(b.list("manifests/")).containsExactly("manifests/ab/ab02");
        assertThat(b.list("nothing/")).isEmpty();
        assertThat(b.list("packs/ef/")).isEmpty();
    }

    @Test
    void listReturnsEveryKeyOfALargeDirectory() throws Exception {
        // More than one listing page on S3 (1000 keys), written from several threads at once.
        Backend b = backend();
        int n = 1_010;
        List<String> expected = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String key = String.format("index/%02x/k%05d.idx", i % 16, i);
                expected.add(key);
                writes.add(pool.submit(() -> {
                    b.write(key, utf8(key));
                    return null;
                }));
            }
            for (Future<?> w : writes) {
                w.get();
            }
        } finally {
            pool.shutdownNow();
        }
        b.write("packs/00/outside.pack", new byte[] {0});
        List<String> listed = b.list("index/");
        assertThat(listed).hasSize(n).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(b.list("index/0a/")).hasSize(n / 16 + (n % 16 > 10 ? 1 : 0));
        assertThat(b.readAll("index/0b/k01003.idx")).isEqualTo(utf8("index/0b/k01003.idx"));
    }

    @Test
    void listInfoAndStatGiveSizesAndWriteTimesAndARewriteIsYounger() throws Exception {
        Backend b = backend();
        // S3 reports times to the second, from the server's clock: allow a little slack.
        Instant before = Instant.now().minusSeconds(5);
        b.write("packs/ab/ab01.pack", bytes(7, 1234));
        b.write("index/ab01.idx", new byte[0]);
        b.write("manifests/ab/ab02", utf8("m"));
        Instant after = Instant.now().plusSeconds(5);

        List<Backend.ObjectInfo> packs = b.listInfo("packs/");
        assertThat(packs).hasSize(1);
        Backend.ObjectInfo pack = packs.get(0);
        assertThat(pack.key()).isEqualTo("packs/ab/ab01.pack");
        assertThat(pack.size()).isEqualTo(1234);
        assertThat(pack.lastModified()).isBetween(before, after);
        assertThat(b.listInfo("").stream().map(Backend.ObjectInfo::key))
                .containsExactlyInAnyOrderElementsOf(b.list(""));
        assertThat(b.listInfo("nothing/")).isEmpty();

        Backend.ObjectInfo index = b.stat("index/ab01.idx");
        assertThat(index.size()).isZero();
        assertThat(index.lastModified()).isBetween(before, after);
        assertThat(b.stat("packs/ab/ab01.pack").size()).isEqualTo(1234);
        assertThatThrownBy(() -> b.stat("index/missing.idx")).isInstanceOf(ContentNotFoundException.class);
        assertThatThrownBy(() -> b.stat("../x")).isInstanceOf(IllegalArgumentException.class);

        // gc's grace period relies on this: writing an object again makes it young again.
        Thread.sleep(1_100);
        b.write("manifests/ab/ab02", utf8("m"));
        assertThat(b.stat("manifests/ab/ab02").lastModified()).isAfter(b.stat("index/ab01.idx").lastModified());
    }

    @Test
    void writeFileStoresTheFileAndConsumesIt() throws IOException {
        Backend b = backend();
        byte[] data = bytes(5, 300_000);
        Path file = Files.write(scratch.resolve("staged.pack"), data);
        b.writeFile("packs/12/1234.pack", file);
        assertThat(file).doesNotExist();
        assertThat(b.readAll("packs/12/1234.pack")).isEqualTo(data);
        assertThat(b.size("packs/12/1234.pack")).isEqualTo(data.length);
        Path empty = Files.createFile(scratch.resolve("empty"));
        b.writeFile("manifests/00/empty", empty);
        assertThat(empty).doesNotExist();
        assertThat(b.size("manifests/00/empty")).isZero();
    }

    @Test
    void largeFilesAreStoredWholeAcrossPartBoundaries() throws IOException {
        Backend b = backend();
        int size = (int) (2 * PART_SIZE + 12_345);
        byte[] data = bytes(6, size);
        Path file = Files.write(scratch.resolve("big.pack"), data);
        b.writeFile("packs/be/big.pack", file);
        assertThat(file).doesNotExist();
        assertThat(b.size("packs/be/big.pack")).isEqualTo(size);
        int boundary = (int) PART_SIZE;
        assertThat(b.read("packs/be/big.pack", boundary - 100, 200))
                .isEqualTo(Arrays.copyOfRange(data, boundary - 100, boundary + 100));
        assertThat(b.read("packs/be/big.pack", size - 24, 24)).isEqualTo(Arrays.copyOfRange(data, size - 24, size));
        assertThat(b.readAll("packs/be/big.pack")).isEqualTo(data);
        assertStoredInParts(location, "packs/be/big.pack", 3);
    }

    @Test
    void malformedKeysAreRejectedByEveryOperation() throws IOException {
        Backend b = backend();
        Path file = Files.write(scratch.resolve("f"), new byte[] {1});
        for (String bad : new String[] {"", "../x", "/abs", "a//b", "a/./b", "a/../b", "a b", "dir/", "ä", "a\\b"}) {
            assertThatThrownBy(() -> b.write(bad, new byte[0])).as("write %s", bad)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> b.writeFile(bad, file)).as("writeFile %s", bad)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> b.readAll(bad)).as("readAll %s", bad).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> b.read(bad, 0, 1)).as("read %s", bad).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> b.exists(bad)).as("exists %s", bad).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> b.size(bad)).as("size %s", bad).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> b.delete(bad)).as("delete %s", bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(file).as("a rejected key leaves the file alone").exists();
        assertThat(b.list("")).isEmpty();
    }
}
