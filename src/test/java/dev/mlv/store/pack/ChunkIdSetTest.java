package dev.mlv.store.pack;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** gc's live-chunk set: exact membership across many slabs, and slab arithmetic beyond 2^31 ids. */
class ChunkIdSetTest {
    private static byte[] ids(long seed, int n) {
        byte[] b = new byte[n * 32];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void holdsExactlyWhatWasAddedAcrossThousandsOfTinySlabs() {
        ChunkIdSet set = new ChunkIdSet(3); // two ids per slab: every growth crosses thousands of slabs
        byte[] in = ids(1, 50_000);
        byte[] out = ids(2, 50_000);
        for (int i = 0; i < 50_000; i++) {
            assertThat(set.add(in, i * 32)).isTrue();
        }
        for (int i = 0; i < 50_000; i++) {
            assertThat(set.add(in, i * 32)).as("added twice").isFalse();
            assertThat(set.contains(in, i * 32)).isTrue();
            assertThat(set.contains(out, i * 32)).isFalse();
        }
        assertThat(set.size()).isEqualTo(50_000);
        // Ids equal in their first eight bytes (the hash) still differ.
        byte[] twin = in.clone();
        twin[31] ^= 1;
        assertThat(set.contains(twin, 0)).isFalse();
        assertThat(set.add(twin, 0)).isTrue();
        assertThat(set.size()).isEqualTo(50_001);
    }

    @Test
    void theAllZeroIdIsAMemberLikeAnyOther() {
        ChunkIdSet set = ChunkIdSet.exact();
        byte[] zero = new byte[32];
        assertThat(set.contains(zero, 0)).isFalse();
        assertThat(set.add(zero, 0)).isTrue();
        assertThat(set.add(zero, 0)).isFalse();
        assertThat(set.contains(zero, 0)).isTrue();
        assertThat(set.size()).isEqualTo(1);
    }

    @Test
    void slabArithmeticHoldsBeyondTwoToTheFortyIds() {
        // ChunkIndex computed cap * 32 in an int, which overflows at 2^26 ids. Here every slot
        // number and position is a long: check the split against exact arithmetic far beyond.
        for (long slot : new long[] {(1L << 26) + 5, (1L << 31) + 3, 1L << 40, (1L << 42) + 12_345}) {
            long pos = slot * 4;
            BigInteger exact = BigInteger.valueOf(slot).multiply(BigInteger.valueOf(4));
            int slab = ChunkIdSet.slabOf(pos, 20);
            int at = ChunkIdSet.offsetOf(pos, 20);
            assertThat(BigInteger.valueOf(slab).shiftLeft(20).add(BigInteger.valueOf(at))).isEqualTo(exact);
            assertThat(slab).isNotNegative();
            assertThat(at).isBetween(0, (1 << 20) - 4);
        }
    }

    @Test
    void theSupersetNeverMissesAnIdAddedAndTakesSixteenBytesPerIdOnAverage() {
        // gc's live set at 10 million chunks must fit -Xmx512m: whole ids took 64 bytes each (512
        // MiB of table at 10M, 768 MiB while doubling). The superset keeps 8 bytes of each.
        ChunkIdSet set = new ChunkIdSet(3, 1);
        byte[] in = ids(3, 150_000);
        byte[] out = ids(4, 150_000);
        for (int i = 0; i < 150_000; i++) {
            set.add(in, i * 32);
        }
        long wrong = 0;
        for (int i = 0; i < 150_000; i++) {
            assertThat(set.contains(in, i * 32)).isTrue();
            wrong += set.contains(out, i * 32) ? 1 : 0;
        }
        assertThat(wrong).as("random absent ids taken for members").isZero();
        assertThat(set.size()).isEqualTo(150_000);
        // 150,000 ids: 2^18 slots of 8 bytes, 14 bytes an id (whole ids: 56).
        assertThat(set.tableBytes()).isEqualTo((1L << 18) * 8);
        assertThat(ChunkIdSet.exact().tableBytes() / ChunkIdSet.superset().tableBytes()).isEqualTo(4);
        // It keeps eight bytes: an id differing only after them is taken for a member (kept by gc).
        byte[] twin = in.clone();
        twin[31] ^= 1;
        assertThat(set.contains(twin, 0)).isTrue();
        assertThat(ChunkIdSet.exact()).satisfies(exact -> {
            exact.add(in, 0);
            assertThat(exact.contains(twin, 0)).isFalse();
        });
    }
}
