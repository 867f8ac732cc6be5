package dev.mlv.store.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Pins the chunk lengths of seeded SplitMix64 data under {@link ChunkerParams#DEFAULT} in
 * {@code src/test/resources/golden/chunk-lengths.txt}. Stores depend on boundaries never moving,
 * so a change here is a format change, not a test to update casually.
 *
 * <p>To regenerate after a deliberate change, run
 * {@code ./mvnw -q -B test -Dtest=ChunkerGoldenTest -Dmlv.regenerateGolden=true} from the project
 * root and review the diff.
 */
class ChunkerGoldenTest {
    private static final String RESOURCE = "golden/chunk-lengths.txt";
    private static final Path SOURCE = Path.of("src/test/resources", RESOURCE);

    /** Seeds and sizes of the pinned inputs: "mlv" in ASCII, and 1. */
    private static final long[][] CASES = {{0x6d6c76L, 1 << 20}, {0x6d6c76L, 4 << 20}, {1L, 4 << 20}};

    @Test
    void chunkLengthsOfSeededDataMatchTheGoldenFile() throws IOException {
        Map<String, String> actual = new LinkedHashMap<>();
        for (long[] c : CASES) {
            List<Integer> lengths = Chunking.lengths(SplitMix64.bytes(c[0], (int) c[1]));
            actual.put(key(c[0], (int) c[1]),
                    lengths.stream().map(String::valueOf).collect(Collectors.joining(" ")));
        }

        if (Boolean.getBoolean("mlv.regenerateGolden")) {
            write(actual);
            assertThat(parse(Files.readString(SOURCE, StandardCharsets.UTF_8))).isEqualTo(actual);
            return;
        }

        assertThat(readGolden()).isEqualTo(actual);
    }

    private static String key(long seed, int size) {
        return "splitmix64 seed=0x" + Long.toHexString(seed) + " size=" + size;
    }

    private static Map<String, String> readGolden() throws IOException {
        try (InputStream in = ChunkerGoldenTest.class.getResourceAsStream("/" + RESOURCE)) {
            assertThat(in).as(RESOURCE + " on the test classpath").isNotNull();
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static Map<String, String> parse(String text) {
        Map<String, String> golden = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] keyValue = line.split(":", 2);
            golden.put(keyValue[0].trim(), keyValue[1].trim());
        }
        return golden;
    }

    private static void write(Map<String, String> cases) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("# Chunk lengths, in order, of SplitMix64 data (little-endian 64-bit outputs, see");
        lines.add("# SplitMix64.java) under ChunkerParams.DEFAULT (Xet's parameters).");
        lines.add("# Regenerate: ./mvnw -q -B test -Dtest=ChunkerGoldenTest -Dmlv.regenerateGolden=true");
        cases.forEach((key, value) -> lines.add(key + ": " + value));
        Files.write(SOURCE, lines, StandardCharsets.UTF_8);
    }
}
