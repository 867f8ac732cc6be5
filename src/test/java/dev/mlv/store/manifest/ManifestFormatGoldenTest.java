package dev.mlv.store.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlv.store.GoldenFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manifests of the golden store ({@link GoldenFixtures}): {@link Manifest#decode} reads each
 * (named by its file's oid; the empty file's has no entries), and {@link ManifestWriter}, given
 * the chunks it lists, writes it again byte for byte.
 */
@DisabledIfSystemProperty(named = GoldenFixtures.REGENERATE, matches = "true")
class ManifestFormatGoldenTest {
    @TempDir
    Path temp;

    @Test
    void decodesEveryManifestAsTheFileItIsNamedFor() throws IOException {
        List<Integer> chunkCounts = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : fixtureManifests().entrySet()) {
            Manifest m = Manifest.decode(e.getKey(), e.getValue());
            chunkCounts.add(m.chunkCount());

            assertThat(m.oid().hex()).as(e.getKey()).isEqualTo(e.getKey().substring(e.getKey().lastIndexOf('/') + 1));
            assertThat(e.getValue()).as(e.getKey() + ": 64 + 36n bytes").hasSize(64 + 36 * m.chunkCount());
            long sum = 0;
            for (int i = 0; i < m.chunkCount(); i++) {
                assertThat(m.chunkStart(i)).isEqualTo(sum);
                sum += m.chunkLength(i);
            }
            assertThat(sum).as(e.getKey() + ": chunk lengths add up to the size").isEqualTo(m.size());
        }
        assertThat(chunkCounts).as("chunk counts, the empty file's included").containsExactlyInAnyOrder(5, 5, 0);
    }

    @Test
    void manifestWriterReproducesEveryManifest() throws IOException {
        for (Map.Entry<String, byte[]> e : fixtureManifests().entrySet()) {
            Manifest m = Manifest.decode(e.getKey(), e.getValue());
            Path file = Files.createTempFile(temp, "manifest", ".tmp");
            try (ManifestWriter writer = new ManifestWriter(file)) {
                for (int i = 0; i < m.chunkCount(); i++) {
                    writer.add(m.idBytes(), i * 32, m.chunkLength(i));
                }
                writer.finish(m.oid().toBytes());
            }

            GoldenFixtures.assertSameBytes(e.getKey(), e.getValue(), Files.readAllBytes(file));
        }
    }

    @Test
    void aManifestKeptInMemoryOrSpilledToAFileHasTheSameBytes() throws IOException {
        for (Map.Entry<String, byte[]> e : fixtureManifests().entrySet()) {
            Manifest m = Manifest.decode(e.getKey(), e.getValue());
            for (int limit : new int[] {0, 64 + 36 * 2, 1 << 20}) {
                Path spill = temp.resolve("spill-" + limit + "-" + m.oid().hex());
                byte[] written;
                try (ManifestWriter writer = ManifestWriter.spilling(limit, () -> Files.createFile(spill))) {
                    for (int i = 0; i < m.chunkCount(); i++) {
                        writer.add(m.idBytes(), i * 32, m.chunkLength(i));
                    }
                    writer.finish(m.oid().toBytes(), false);
                    boolean fits = e.getValue().length <= limit;
                    assertThat(writer.file() == null).as(e.getKey() + " in memory at limit " + limit).isEqualTo(fits);
                    assertThat(Files.exists(spill)).as(e.getKey() + " spilled at limit " + limit).isEqualTo(!fits);
                    written = fits ? writer.bytes() : Files.readAllBytes(spill);
                }
                GoldenFixtures.assertSameBytes(e.getKey() + " (limit " + limit + ")", e.getValue(), written);
            }
        }
    }

    private static SortedMap<String, byte[]> fixtureManifests() throws IOException {
        SortedMap<String, byte[]> all = GoldenFixtures.tree(GoldenFixtures.root().resolve("store"));
        SortedMap<String, byte[]> manifests = all.subMap("manifests/", "manifests0");
        assertThat(manifests).as("manifests in the fixture store").hasSize(3);
        return manifests;
    }
}
