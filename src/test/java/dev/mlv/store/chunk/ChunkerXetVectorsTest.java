package dev.mlv.store.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pins mlv's chunker to Hugging Face Xet's own published test vectors (xet-core
 * {@code deduplication/src/chunking.rs} at commit ea0a14e5, module {@code tests}). If one of these
 * fails, mlv no longer chunks like Xet.
 */
class ChunkerXetVectorsTest {

    @Test
    void oneMegabyteOfSplitMixDataMatchesXet() {
        // xet-core test_correctness_1mb_random_data: create_random_data(1000000, 0).
        byte[] data = SplitMix64.bytes(0, 1_000_000);
        assertThat(List.of(data[0] & 0xFF, data[127] & 0xFF, data[111111] & 0xFF))
                .as("input sanity samples from the Xet test")
                .containsExactly(175, 132, 118);

        assertThat(Chunking.boundaries(Chunking.lengths(data))).containsExactly(
                84493L, 134421L, 144853L, 243318L, 271793L, 336457L, 467529L, 494581L, 582000L,
                596735L, 616815L, 653164L, 678202L, 724510L, 815591L, 827760L, 958832L, 991092L,
                1000000L);
    }

    @Test
    void oneMegabyteOfConstantDataCutsAtTheMaximum() {
        // xet-core test_correctness_1mb_const_data: vec![59u8; 1000000].
        byte[] data = new byte[1_000_000];
        Arrays.fill(data, (byte) 59);

        assertThat(Chunking.boundaries(Chunking.lengths(data))).containsExactly(
                131072L, 262144L, 393216L, 524288L, 655360L, 786432L, 917504L, 1000000L);
    }

    @Test
    void zerosCutAtTheMaximumForASmallTarget() {
        // xet-core test_exact_maximum_chunk: Chunker::new(512) over 8 * 2 * 512 zero bytes.
        byte[] data = new byte[8 * 2 * 512];

        assertThat(Chunking.lengths(data, ChunkerParams.forTarget(512)))
                .hasSize(8)
                .containsOnly(1024);
    }

    @Test
    void patternDataHittingTheMinimumEdgeMatchesXet() throws IOException {
        // xet-core test_correctness_100kb_hitting_data: a pattern that triggers a boundary once per
        // repetition, with 0..127 bytes of padding, probing every offset around the minimum size.
        Vectors vectors = Vectors.load();
        assertThat(vectors.boundaries).hasSize(128);

        for (int padding = 0; padding < vectors.boundaries.size(); padding++) {
            byte[] data = triggeringData(vectors.pattern, padding, 65536);
            assertThat(Chunking.boundaries(Chunking.lengths(data)))
                    .as("padding %d", padding)
                    .isEqualTo(vectors.boundaries.get(padding));
        }
        // Input sanity samples at index 11111 from the Xet test.
        assertThat(triggeringData(vectors.pattern, 0, 65536)[11111] & 0xFF).isEqualTo(236);
        assertThat(triggeringData(vectors.pattern, 1, 65536)[11111] & 0xFF).isEqualTo(50);
        assertThat(triggeringData(vectors.pattern, 2, 65536)[11111] & 0xFF).isEqualTo(36);
        assertThat(triggeringData(vectors.pattern, 3, 65536)[11111] & 0xFF).isEqualTo(116);
    }

    @Test
    void feedingInSmallPiecesGivesXetsBoundaries() {
        // xet-core test_chunk_boundaries: create_random_data(256000, 1) fed in pieces of 1, 37, 255.
        byte[] data = SplitMix64.bytes(1, 256_000);
        List<Integer> whole = Chunking.lengths(data);

        for (int piece : new int[] {1, 37, 255}) {
            assertThat(ChunkerTest.lengthsInPieces(data, ChunkerParams.DEFAULT, n -> piece))
                    .as("pieces of %d bytes", piece)
                    .isEqualTo(whole);
        }
    }

    /** The pattern plus {@code padding} zeros, repeated and cut to {@code n} bytes. */
    private static byte[] triggeringData(byte[] pattern, int padding, int n) {
        int period = pattern.length + padding;
        byte[] unit = Arrays.copyOf(pattern, period);
        byte[] data = new byte[n];
        for (int i = 0; i < n; i++) {
            data[i] = unit[i % period];
        }
        return data;
    }

    private record Vectors(byte[] pattern, List<List<Long>> boundaries) {
        static Vectors load() throws IOException {
            byte[] pattern = null;
            List<List<Long>> boundaries = new ArrayList<>();
            try (InputStream in = ChunkerXetVectorsTest.class.getResourceAsStream("/golden/xet-chunker-vectors.txt");
                    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.startsWith("#") || line.isBlank()) {
                        continue;
                    }
                    String[] keyValue = line.split(":", 2);
                    long[] numbers = Arrays.stream(keyValue[1].trim().split("\\s+")).mapToLong(Long::parseLong).toArray();
                    if (keyValue[0].equals("pattern")) {
                        pattern = new byte[numbers.length];
                        for (int i = 0; i < numbers.length; i++) {
                            pattern[i] = (byte) numbers[i];
                        }
                    } else {
                        assertThat(keyValue[0]).isEqualTo("padding " + boundaries.size());
                        boundaries.add(Arrays.stream(numbers).boxed().toList());
                    }
                }
            }
            assertThat(pattern).hasSize(128);
            return new Vectors(pattern, boundaries);
        }
    }
}
