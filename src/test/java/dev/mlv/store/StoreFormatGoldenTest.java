package dev.mlv.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlv.store.chunk.ChunkerParams;
import dev.mlv.store.chunk.Chunking;
import dev.mlv.store.manifest.Manifest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The golden store in {@code src/test/resources/golden/format/}: today's readers must read it,
 * and today's writers, given the same seeded input ({@link GoldenFixtures}), must write it again
 * byte for byte. A change to any byte of the format fails here; change {@code docs/format.md} and
 * its version with it, and keep a reader for the old bytes.
 *
 * <p>Regenerate (only for a deliberate format change, then review the diff): from the project
 * root, {@code ./mvnw -B -q test -Dtest='*FormatGoldenTest' -Dmlv.regenerateGolden=true}, then
 * run the same tests without the property.
 */
class StoreFormatGoldenTest {
    @TempDir
    Path temp;

    @Test
    @DisabledIfSystemProperty(named = GoldenFixtures.REGENERATE, matches = "true")
    void todaysWritersReproduceEveryStoreObjectAndPointer() throws IOException {
        GoldenFixtures.write(temp);

        assertSameFiles(GoldenFixtures.root().resolve("store"), temp.resolve("store"));
        assertSameFiles(GoldenFixtures.root().resolve("repo/models"), temp.resolve("repo/models"));
    }

    @Test
    @DisabledIfSystemProperty(named = GoldenFixtures.REGENERATE, matches = "true")
    void todaysReadersReturnTheSeededContentAndItsChunks() throws IOException {
        Path repo = GoldenFixtures.root().resolve("repo");
        Set<ChunkId> distinct = new HashSet<>();
        try (ChunkStore store = ChunkStore.open(copyOfStore())) {
            for (GoldenFixtures.FixtureFile f : GoldenFixtures.files()) {
                byte[] pointerBytes = Files.readAllBytes(repo.resolve(f.path()));
                Pointer pointer = Pointer.parse(pointerBytes);
                assertThat(pointer.oid()).as(f.path()).isEqualTo(StoreTestData.sha256(f.content()));
                assertThat(pointer.size()).as(f.path()).isEqualTo(f.content().length);
                assertThat(pointer.extraKeys()).as(f.path()).isEmpty();

                Manifest m = store.manifest(pointer.oid());
                assertThat(chunks(m)).as("chunks of " + f.path()).isEqualTo(expectedChunks(f.content()));
                for (int i = 0; i < m.chunkCount(); i++) {
                    distinct.add(m.chunkId(i));
                }
                try (InputStream in = store.open(pointer.oid(), pointer.size())) {
                    assertThat(in.readAllBytes()).as(f.path()).isEqualTo(f.content());
                }
            }
            VerifyReport report = store.verify();
            assertThat(report.problems()).isEmpty();
            assertThat(report.files()).isEqualTo(3);
            // Every distinct chunk is stored once: the tuned file's pack holds only its new chunks.
            assertThat(report.chunks()).isEqualTo(distinct.size());
        }
    }

    @Test
    @DisabledIfSystemProperty(named = GoldenFixtures.REGENERATE, matches = "true")
    void listingOfWhatTheReadersSeeMatchesContentsTxt() throws IOException {
        Path root = GoldenFixtures.root();
        String listing = FixtureListing.describe(copyOfStore(), root.resolve("repo"));

        assertThat(listing).isEqualTo(Files.readString(root.resolve("contents.txt"), StandardCharsets.UTF_8));
    }

    @Test
    @DisabledIfSystemProperty(named = GoldenFixtures.REGENERATE, matches = "true")
    void storeConfigReadsAsTodaysParametersAndEncodesToTheSameBytes() throws IOException {
        byte[] fixture = Files.readAllBytes(GoldenFixtures.root().resolve("store/config.json"));

        StoreConfig config = StoreConfig.decode("fixture config.json", fixture);

        assertThat(config.version()).isEqualTo(StoreConfig.FORMAT_VERSION);
        assertThat(config.chunkerParams()).isEqualTo(ChunkerParams.DEFAULT);
        GoldenFixtures.assertSameBytes("config.json", fixture, config.encode());
    }

    @Test
    @DisabledIfSystemProperty(named = GoldenFixtures.REGENERATE, matches = "true")
    void pointersParseAndEncodeToTheSameBytes() throws IOException {
        for (GoldenFixtures.FixtureFile f : GoldenFixtures.files()) {
            byte[] fixture = Files.readAllBytes(GoldenFixtures.root().resolve("repo").resolve(f.path()));
            Pointer written = new Pointer(StoreTestData.sha256(f.content()), f.content().length);

            assertThat(new String(written.encode(), StandardCharsets.UTF_8)).as(f.path())
                    .isEqualTo(new String(fixture, StandardCharsets.UTF_8));
            assertThat(Pointer.parse(fixture).encode()).as(f.path()).isEqualTo(fixture);
        }
    }

    /** Writes the fixtures into the source tree: the store, the pointers and contents.txt. */
    @Test
    @EnabledIfSystemProperty(named = GoldenFixtures.REGENERATE, matches = "true")
    void regenerate() throws IOException {
        Path fresh = temp.resolve("fresh");
        GoldenFixtures.write(fresh);
        String listing = FixtureListing.describe(GoldenFixtures.copy(fresh.resolve("store"), temp.resolve("listed")),
                fresh.resolve("repo"));
        Path source = GoldenFixtures.SOURCE;
        deleteTree(source.resolve("store"));
        deleteTree(source.resolve("repo/models"));
        GoldenFixtures.copy(fresh.resolve("store"), source.resolve("store"));
        GoldenFixtures.copy(fresh.resolve("repo/models"), source.resolve("repo/models"));
        Files.writeString(source.resolve("contents.txt"), listing, StandardCharsets.UTF_8);
    }

    private Path copyOfStore() throws IOException {
        // Opening a store creates its tmp/; the class path copy of the fixtures stays untouched.
        return GoldenFixtures.copy(GoldenFixtures.root().resolve("store"), temp.resolve("fixture-store"));
    }

    private static void assertSameFiles(Path fixtureDir, Path writtenDir) throws IOException {
        SortedMap<String, byte[]> fixture = GoldenFixtures.tree(fixtureDir);
        SortedMap<String, byte[]> written = GoldenFixtures.tree(writtenDir);
        // Objects are named by content: a changed byte shows up as a missing and an unexpected name.
        assertThat(written.keySet()).as("objects written (names are hashes of content) vs " + fixtureDir)
                .containsExactlyElementsOf(fixture.keySet());
        for (String key : fixture.keySet()) {
            GoldenFixtures.assertSameBytes(key, fixture.get(key), written.get(key));
        }
    }

    /** "offset length id" per chunk, as the manifest lists them. */
    private static List<String> chunks(Manifest m) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < m.chunkCount(); i++) {
            out.add(m.chunkStart(i) + " " + m.chunkLength(i) + " " + m.chunkId(i));
        }
        return out;
    }

    /** The same, computed from the content: chunker boundaries, SHA-256 of each chunk. */
    private static List<String> expectedChunks(byte[] content) {
        List<String> out = new ArrayList<>();
        int at = 0;
        for (int length : Chunking.lengths(content)) {
            byte[] chunk = Arrays.copyOfRange(content, at, at + length);
            out.add(at + " " + length + " " + ChunkId.of(sha256(chunk)));
            at += length;
        }
        return out;
    }

    private static byte[] sha256(byte[] b) {
        MessageDigest sha = Sha256.newDigest();
        return sha.digest(b);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
