package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mlv store put|cat|chunks|stats|verify} end to end, in-process, on small files. */
class StoreCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private CliHarness mlv;

    @BeforeEach
    void setUp() {
        mlv = new CliHarness(dir);
    }

    /** Seeded random bytes: several chunks at the 64 KiB target, incompressible. */
    private static byte[] random(long seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private Path write(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    private JsonNode json(CliHarness.Result r) throws IOException {
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return JSON.readTree(r.stdoutBytes());
    }

    @Test
    void putPrintsTheLfsPointerAndCatRestoresTheBytes() throws Exception {
        byte[] content = random(1, 300_000);
        write("f.bin", content);

        CliHarness.Result put = mlv.run("store", "put", "--store", "s", "f.bin");
        assertThat(put.exitCode()).as(put.toString()).isZero();
        assertThat(put.stdout()).isEqualTo("version https://git-lfs.github.com/spec/v1\n"
                + "oid sha256:" + sha256(content) + "\nsize 300000\n");

        CliHarness.Result cat = mlv.run("store", "cat", "--store", "s", sha256(content));
        assertThat(cat.exitCode()).as(cat.toString()).isZero();
        assertThat(cat.stdoutBytes()).isEqualTo(content);

        CliHarness.Result prefixed = mlv.run("store", "cat", "--store", "s", "sha256:" + sha256(content), "-o", "out.bin");
        assertThat(prefixed.exitCode()).as(prefixed.toString()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("out.bin"))).isEqualTo(content);

        // --json describes what -o wrote; without -o the content is the output, so it is refused
        CliHarness.Result json = mlv.run("store", "cat", "--store", "s", "--json", "sha256:" + sha256(content), "-o", "j.bin");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        JsonNode doc = JSON.readTree(json.stdout());
        assertThat(doc.get("oid").asText()).isEqualTo(sha256(content));
        assertThat(doc.get("bytes").asLong()).isEqualTo(300_000);
        assertThat(doc.get("output").asText()).isEqualTo("j.bin");
        assertThat(Files.readAllBytes(dir.resolve("j.bin"))).isEqualTo(content);
        CliHarness.Result refused = mlv.run("store", "cat", "--store", "s", "--json", sha256(content));
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.stdout()).startsWith("{").contains("\"schema\" : \"mlv.error/1\""); // no content, only the error
        assertThat(refused.stderr()).contains("--json needs -o FILE");
    }

    @Test
    void putJsonReportsSizesAndDedupeOfARepeatedPut() throws Exception {
        byte[] content = random(2, 400_000);
        write("f.bin", content);

        JsonNode first = json(mlv.run("store", "put", "--store", "s", "--json", "f.bin"));
        assertThat(first.get("oid").asText()).isEqualTo(sha256(content));
        assertThat(first.get("size").asLong()).isEqualTo(400_000);
        assertThat(first.get("newBytes").asLong()).isEqualTo(400_000); // random data is stored raw
        assertThat(first.get("reusedBytes").asLong()).isZero();
        assertThat(first.get("chunks").asLong()).isGreaterThan(1).isEqualTo(first.get("newChunks").asLong());
        assertThat(first.get("packsWritten").asInt()).isEqualTo(1);
        assertThat(first.get("pointer").asText()).contains("oid sha256:" + sha256(content));

        JsonNode again = json(mlv.run("store", "put", "--store", "s", "--json", "f.bin"));
        assertThat(again.get("newBytes").asLong()).isZero();
        assertThat(again.get("newChunks").asLong()).isZero();
        assertThat(again.get("reusedBytes").asLong()).isEqualTo(400_000);
        assertThat(again.get("packsWritten").asInt()).isZero();
        try (Stream<Path> packs = Files.walk(dir.resolve("s/packs"))) {
            assertThat(packs.filter(p -> p.toString().endsWith(".pack"))).hasSize(1);
        }
    }

    @Test
    void catOfAnOidNotInTheStoreExitsNotFound() throws Exception {
        write("f.bin", random(3, 1000));
        assertThat(mlv.run("store", "put", "--store", "s", "f.bin").exitCode()).isZero();

        CliHarness.Result r = mlv.run("store", "cat", "--store", "s", "ab".repeat(32));
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.stdoutBytes()).isEmpty();
        assertThat(r.stderr()).contains("ab".repeat(32));
    }

    @Test
    void catOfAMalformedOidIsAUsageError() throws Exception {
        write("f.bin", random(4, 1000));
        assertThat(mlv.run("store", "put", "--store", "s", "f.bin").exitCode()).isZero();

        for (String bad : List.of("xyz", "AB".repeat(32), "ab".repeat(31), "md5:" + "ab".repeat(32))) {
            CliHarness.Result r = mlv.run("store", "cat", "--store", "s", bad);
            assertThat(r.exitCode()).as(bad + ": " + r).isEqualTo(ExitCodes.USAGE);
            assertThat(r.stderr()).contains("not an oid");
        }
    }

    @Test
    void verifyFindsOneFlippedByteAndNamesThePack() throws Exception {
        write("f.bin", random(5, 300_000));
        assertThat(mlv.run("store", "put", "--store", "s", "f.bin").exitCode()).isZero();
        CliHarness.Result clean = mlv.run("store", "verify", "--store", "s");
        assertThat(clean.exitCode()).as(clean.toString()).isZero();
        assertThat(clean.stdout()).startsWith("ok:");

        Path pack;
        try (Stream<Path> packs = Files.walk(dir.resolve("s/packs"))) {
            pack = packs.filter(p -> p.toString().endsWith(".pack")).findFirst().orElseThrow();
        }
        // A byte inside the first chunk's data: past the 8-byte pack header and 44-byte entry header.
        flipByte(pack, 8 + 44 + 1000);

        CliHarness.Result damaged = mlv.run("store", "verify", "--store", "s");
        assertThat(damaged.exitCode()).as(damaged.toString()).isEqualTo(ExitCodes.INTEGRITY);
        String packName = pack.getFileName().toString();
        assertThat(damaged.stdout()).contains("problem:").contains(packName).startsWith("problem:");
        assertThat(damaged.stdout()).contains("damaged:");

        JsonNode report = JSON.readTree(mlv.run("store", "verify", "--store", "s", "--json").stdoutBytes());
        assertThat(report.get("problems")).isNotEmpty();
        assertThat(report.get("problems").get(0).asText()).contains(packName);
    }

    private static void flipByte(Path file, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ 0x01)).rewind();
            ch.write(b, offset);
        }
    }

    @Test
    void chunksCoverTheFileContiguously() throws Exception {
        byte[] content = random(6, 500_000);
        write("f.bin", content);

        JsonNode listing = json(mlv.run("store", "chunks", "--json", "f.bin"));
        assertThat(listing.get("oid").asText()).isEqualTo(sha256(content));
        assertThat(listing.get("size").asLong()).isEqualTo(500_000);
        long next = 0;
        for (JsonNode c : listing.get("chunks")) {
            assertThat(c.get("offset").asLong()).isEqualTo(next);
            assertThat(c.get("length").asInt()).isBetween(1, 128 * 1024);
            assertThat(c.get("id").asText()).matches("[0-9a-f]{64}");
            next += c.get("length").asLong();
        }
        assertThat(next).isEqualTo(500_000);
        assertThat(listing.get("chunks").size()).isGreaterThan(2);

        // The ids are those of the bytes at those offsets, and the same chunks the store keeps.
        JsonNode first = listing.get("chunks").get(0);
        byte[] firstChunk = java.util.Arrays.copyOfRange(content, 0, first.get("length").asInt());
        assertThat(first.get("id").asText()).isEqualTo(sha256(firstChunk));
        JsonNode put = json(mlv.run("store", "put", "--store", "s", "--json", "f.bin"));
        assertThat(put.get("chunks").asInt()).isEqualTo(listing.get("chunks").size());

        CliHarness.Result text = mlv.run("store", "chunks", "f.bin");
        assertThat(text.exitCode()).isZero();
        assertThat(text.stdout().lines().skip(1)).hasSize(listing.get("chunks").size());
    }

    @Test
    void statsAfterTwoOverlappingPutsShowsDedupe() throws Exception {
        byte[] v1 = random(7, 600_000);
        byte[] v2 = java.util.Arrays.copyOf(v1, 700_000);
        System.arraycopy(random(8, 100_000), 0, v2, 600_000, 100_000);
        write("v1.bin", v1);
        write("v2.bin", v2);

        assertThat(mlv.run("store", "put", "--store", "s", "v1.bin").exitCode()).isZero();
        JsonNode second = json(mlv.run("store", "put", "--store", "s", "--json", "v2.bin"));
        assertThat(second.get("reusedBytes").asLong()).isGreaterThan(400_000);
        assertThat(second.get("newBytes").asLong()).isLessThan(300_000);

        JsonNode stats = json(mlv.run("store", "stats", "--store", "s", "--json"));
        assertThat(stats.get("files").asLong()).isEqualTo(2);
        assertThat(stats.get("packs").asLong()).isEqualTo(2);
        assertThat(stats.get("logicalBytes").asLong()).isEqualTo(1_300_000);
        assertThat(stats.get("chunkBytes").asLong())
                .isEqualTo(600_000 + second.get("newBytes").asLong())
                .isLessThan(stats.get("logicalBytes").asLong());
        assertThat(stats.get("storedBytes").asLong()).isGreaterThan(stats.get("chunkBytes").asLong());
        assertThat(stats.get("dedupeRatio").asDouble()).isGreaterThan(1.5);

        CliHarness.Result text = mlv.run("store", "stats", "--store", "s");
        assertThat(text.exitCode()).isZero();
        assertThat(text.stdout()).contains("files:         2").contains("dedupe ratio:");
    }

    @Test
    void statsOfAMissingStoreExitsNotFound() {
        CliHarness.Result r = mlv.run("store", "stats", "--store", "nowhere");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.NOT_FOUND);
    }
}
