package dev.mlv.store.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Properties that must hold for any input, checked on many seeded inputs (SplitMix64 seeds, so a
 * failure reproduces exactly). Small targets give many chunks from little data.
 */
class ChunkerPropertiesTest {

    static List<ChunkerParams> params() {
        return List.of(
                ChunkerParams.DEFAULT,
                ChunkerParams.forTarget(128),      // min 16: below the hash window, nothing skipped
                ChunkerParams.forTarget(1024),
                ChunkerParams.forTarget(8192),
                new ChunkerParams(3000, 3000, 3000, 0xFFF0000000000000L), // min == max
                new ChunkerParams(100, 2048, 6000, 0x8000000000000001L), // a mask not at the top
                // Few mask bits, far maximum: long scans, so many joins between the two scan lanes.
                new ChunkerParams(100, 1024, 1 << 20, 0xFFC0000000000000L));
    }

    @ParameterizedTest
    @MethodSource("params")
    void agreesWithTheByteByByteSpecOnRandomAndRepetitiveData(ChunkerParams params) {
        int size = Math.max(300_000, Math.min(8 * params.maxSize(), 1 << 20));
        for (long seed = 0; seed < 3; seed++) {
            byte[] random = SplitMix64.bytes(seed, size);
            assertThat(Chunking.lengths(random, params)).as("random, seed %d", seed)
                    .isEqualTo(ReferenceChunker.lengths(random, params));

            byte[] repetitive = lowEntropy(seed, size);
            assertThat(Chunking.lengths(repetitive, params)).as("low entropy, seed %d", seed)
                    .isEqualTo(ReferenceChunker.lengths(repetitive, params));
        }
    }

    @ParameterizedTest
    @MethodSource("params")
    void boundariesDoNotDependOnHowTheStreamIsSplit(ChunkerParams params) {
        byte[] data = SplitMix64.bytes(99, Math.max(300_000, Math.min(8 * params.maxSize(), 1 << 20)));
        List<Integer> whole = Chunking.lengths(data, params);

        for (long seed = 1; seed <= 12; seed++) {
            SplitMix64 rng = new SplitMix64(seed);
            // Piece sizes from 1 byte to beyond a maximum chunk, skewed towards small ones.
            int bound = seed % 3 == 0 ? 64 : seed % 3 == 1 ? 5000 : Math.min(3 * params.maxSize(), 1 << 20);
            assertThat(ChunkerTest.lengthsInPieces(data, params, pos -> 1 + rng.nextInt(bound)))
                    .as("pieces below %d, seed %d", bound, seed)
                    .isEqualTo(whole);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 16, 100})
    void anEditNearTheStartChangesOnlyTheChunksAroundIt(int editSize) {
        ChunkerParams params = ChunkerParams.forTarget(1024);
        for (long seed = 0; seed < 20; seed++) {
            byte[] original = SplitMix64.bytes(1000 + seed, 200_000);
            SplitMix64 rng = new SplitMix64(seed);
            int at = 500 + rng.nextInt(20_000);
            byte[] inserted = insert(original, at, SplitMix64.bytes(-seed, editSize));
            byte[] deleted = delete(original, at, editSize);

            assertEditIsLocal(original, inserted, at, editSize, params);
            assertEditIsLocal(original, deleted, at, -editSize, params);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 64, 4096})
    void anEditNearTheStartOfALargeFileChangesOnlyTheChunksAroundItWithXetParameters(int editSize) {
        byte[] original = SplitMix64.bytes(7, 2 << 20);
        int at = 100_000 + editSize;
        assertEditIsLocal(original, insert(original, at, SplitMix64.bytes(8, editSize)), at, editSize, ChunkerParams.DEFAULT);
        assertEditIsLocal(original, delete(original, at, editSize), at, -editSize, ChunkerParams.DEFAULT);
    }

    /**
     * Chunks ending before the edit are unchanged, and from the first boundary after the edit
     * that both versions share, every boundary is the same, shifted by the edit. At most a few
     * chunks differ.
     */
    private static void assertEditIsLocal(byte[] before, byte[] after, int at, int shift, ChunkerParams params) {
        List<Long> oldEnds = Chunking.boundaries(Chunking.lengths(before, params));
        List<Long> newEnds = Chunking.boundaries(Chunking.lengths(after, params));

        List<Long> oldBefore = oldEnds.stream().filter(end -> end <= at).toList();
        List<Long> newBefore = newEnds.stream().filter(end -> end <= at).toList();
        assertThat(newBefore).as("chunks ending before the edit at %d", at).isEqualTo(oldBefore);

        List<Long> oldAfterShifted = oldEnds.stream().filter(end -> end > at).map(end -> end + shift).toList();
        List<Long> newAfter = newEnds.stream().filter(end -> end > at + Math.max(0, shift)).toList();
        int resync = firstCommon(oldAfterShifted, newAfter);
        assertThat(resync).as("a shared boundary after the edit at %d (shift %d)", at, shift).isNotNegative();

        long sync = newAfter.get(resync);
        List<Long> oldTail = oldAfterShifted.stream().filter(end -> end >= sync).toList();
        List<Long> newTail = newAfter.subList(resync, newAfter.size());
        assertThat(newTail).as("boundaries from %d on", sync).isEqualTo(oldTail);

        int changedNew = newEnds.size() - newBefore.size() - newTail.size();
        int changedOld = oldEnds.size() - oldBefore.size() - oldTail.size();
        assertThat(Math.max(changedNew, changedOld)).as("chunks changed by the edit").isLessThanOrEqualTo(4);
    }

    private static int firstCommon(List<Long> sortedA, List<Long> sortedB) {
        for (int i = 0; i < sortedB.size(); i++) {
            if (Collections.binarySearch(sortedA, sortedB.get(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] insert(byte[] data, int at, byte[] extra) {
        byte[] out = new byte[data.length + extra.length];
        System.arraycopy(data, 0, out, 0, at);
        System.arraycopy(extra, 0, out, at, extra.length);
        System.arraycopy(data, at, out, at + extra.length, data.length - at);
        return out;
    }

    private static byte[] delete(byte[] data, int at, int count) {
        byte[] out = new byte[data.length - count];
        System.arraycopy(data, 0, out, 0, at);
        System.arraycopy(data, at + count, out, at, data.length - at - count);
        return out;
    }

    /** Runs of a few byte values with long zero stretches: many hash collisions and forced cuts. */
    private static byte[] lowEntropy(long seed, int size) {
        SplitMix64 rng = new SplitMix64(seed);
        byte[] out = new byte[size];
        int pos = 0;
        while (pos < size) {
            int run = 1 + rng.nextInt(rng.nextInt(4) == 0 ? 40_000 : 300);
            byte value = (byte) (rng.nextInt(3) == 0 ? 0 : rng.nextInt(4));
            Arrays.fill(out, pos, Math.min(size, pos + run), value);
            pos += run;
        }
        return out;
    }
}
