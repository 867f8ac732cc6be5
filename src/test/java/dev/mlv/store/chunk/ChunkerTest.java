package dev.mlv.store.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/** The chunking rules and the {@link Chunker} contract. */
class ChunkerTest {
    private static final ChunkerParams XET = ChunkerParams.DEFAULT;

    @Test
    void defaultParametersAreXets() {
        assertThat(XET.minSize()).isEqualTo(8 * 1024);
        assertThat(XET.targetSize()).isEqualTo(64 * 1024);
        assertThat(XET.maxSize()).isEqualTo(128 * 1024);
        assertThat(XET.mask()).isEqualTo(0xFFFF000000000000L);
        assertThat(XET.describe()).isEqualTo("gear-xet min=8192 target=65536 max=131072 mask=ffff000000000000");
        assertThat(new Chunker().params()).isEqualTo(XET);
    }

    @Test
    void forTargetDerivesParametersLikeXet() {
        ChunkerParams p = ChunkerParams.forTarget(1024);
        assertThat(p).isEqualTo(new ChunkerParams(128, 1024, 2048, 0xFFC0000000000000L));
        assertThatThrownBy(() -> ChunkerParams.forTarget(1000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChunkerParams.forTarget(64)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void invalidParametersAreRejected() {
        assertThatThrownBy(() -> new ChunkerParams(0, 10, 20, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChunkerParams(30, 30, 20, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChunkerParams(10, 40, 20, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChunkerParams(10, 15, 20, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void chunksRespectMinimumAndMaximumAndCoverTheInput() {
        byte[] data = SplitMix64.bytes(42, 4 << 20);
        List<Integer> lengths = Chunking.lengths(data);

        assertThat(lengths.stream().mapToLong(Integer::longValue).sum()).isEqualTo(data.length);
        assertThat(lengths.subList(0, lengths.size() - 1)).allSatisfy(len -> assertThat(len).isBetween(XET.minSize(), XET.maxSize()));
        assertThat(lengths.get(lengths.size() - 1)).isBetween(1, XET.maxSize());
        // Content-defined cuts, not just forced ones: most chunks end before the maximum.
        assertThat(lengths.stream().filter(len -> len < XET.maxSize()).count()).isGreaterThan(lengths.size() / 2);
    }

    @Test
    void allZeroStreamCutsAtTheMaximum() {
        // The gear hash of a run of zeros settles at -TABLE[0], whose top 16 bits are not zero.
        byte[] data = new byte[5 * XET.maxSize() + 100];
        assertThat(Chunking.lengths(data))
                .containsExactly(XET.maxSize(), XET.maxSize(), XET.maxSize(), XET.maxSize(), XET.maxSize(), 100);
    }

    @Test
    void inputShorterThanTheMinimumIsOneChunk() {
        assertThat(Chunking.lengths(SplitMix64.bytes(7, XET.minSize() - 1))).containsExactly(XET.minSize() - 1);
        assertThat(Chunking.lengths(new byte[] {1})).containsExactly(1);
        assertThat(Chunking.lengths(new byte[0])).isEmpty();
    }

    @Test
    void nextReportsTheBoundaryInclusiveOfItsLastByte() {
        byte[] data = SplitMix64.bytes(0, 1_000_000);
        Chunker chunker = new Chunker();

        assertThat(chunker.next(data, 0, 1000)).isEqualTo(-1);
        assertThat(chunker.pending()).isEqualTo(1000);
        // Xet's first boundary of this data lies after byte 84492.
        assertThat(chunker.next(data, 1000, data.length - 1000)).isEqualTo(84493 - 1000);
        assertThat(chunker.pending()).isZero();
        assertThat(chunker.next(data, 84493, data.length - 84493)).isEqualTo(134421 - 84493);
    }

    @Test
    void nextWithNothingToScanConsumesNothing() {
        Chunker chunker = new Chunker();
        assertThat(chunker.next(new byte[10], 5, 0)).isEqualTo(-1);
        assertThat(chunker.pending()).isZero();
    }

    @Test
    void nextRejectsARangeOutsideTheArray() {
        Chunker chunker = new Chunker();
        assertThatThrownBy(() -> chunker.next(new byte[10], 5, 6)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> chunker.next(new byte[10], -1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void resetStartsANewStream() {
        byte[] data = SplitMix64.bytes(0, 1_000_000);
        Chunker chunker = new Chunker();
        chunker.next(data, 500_000, 50_000);
        assertThat(chunker.pending()).isPositive();

        chunker.reset();

        assertThat(chunker.pending()).isZero();
        assertThat(chunker.next(data, 0, data.length)).isEqualTo(84493);
    }

    @Test
    void streamAndArrayGiveTheSameLengths() throws IOException {
        byte[] data = SplitMix64.bytes(3, 3_000_000);
        assertThat(Chunking.lengths(new ByteArrayInputStream(data))).isEqualTo(Chunking.lengths(data));
        assertThat(Chunking.lengths(new ByteArrayInputStream(new byte[0]))).isEmpty();
    }

    @Test
    void boundariesAreRunningSums() {
        assertThat(Chunking.boundaries(List.of(3, 4, 5))).containsExactly(3L, 7L, 12L);
    }

    /** Chunk lengths when the stream is fed in pieces whose sizes {@code pieceSize} picks. */
    static List<Integer> lengthsInPieces(byte[] data, ChunkerParams params, IntUnaryOperator pieceSize) {
        Chunker chunker = new Chunker(params);
        List<Integer> lengths = new ArrayList<>();
        int pos = 0;
        while (pos < data.length) {
            int pieceEnd = Math.min(data.length, pos + Math.max(1, pieceSize.applyAsInt(pos)));
            while (pos < pieceEnd) {
                long before = chunker.pending();
                int used = chunker.next(data, pos, pieceEnd - pos);
                if (used < 0) {
                    pos = pieceEnd;
                } else {
                    assertThat(used).isPositive();
                    lengths.add((int) (before + used));
                    pos += used;
                }
            }
        }
        if (chunker.pending() > 0) {
            lengths.add((int) chunker.pending());
        }
        return lengths;
    }
}
