package dev.mlv.store.pack;

/**
 * A set of chunk ids (gc's live chunks), in the heap but with no ceiling below memory: an
 * open-addressing table of whole 32-byte ids held as four {@code long}s each, in slabs of
 * {@code 2^slabShift} longs. Slot numbers and positions are {@code long}, so no {@code int}
 * offset overflows however many ids it holds (up to 2^49 with the default slabs, far beyond
 * 2^40). The table is at most three quarters full: 43 to 85 bytes per id, 64 on average, and up
 * to three times the table for a moment while it doubles. Ids are SHA-256 outputs, so their
 * first eight bytes are already a uniform hash. Not thread-safe.
 */
public final class ChunkIdSet {
    private static final int ID = PackFormat.ID_LENGTH;
    /** Longs per id. */
    private static final int LONGS = ID / 8;
    /** 2^20 longs: slabs of 8 MiB, 262,144 ids each. */
    private static final int DEFAULT_SLAB_SHIFT = 20;

    private final int slabShift;
    private long[][] slabs;
    /** Slots in the table, a power of two. */
    private long capacity;
    private long size;
    /** The all-zero id, which the table cannot hold (zero marks an empty slot). */
    private boolean hasZero;

    public ChunkIdSet() {
        this(DEFAULT_SLAB_SHIFT);
    }

    /** With slabs of {@code 2^slabShift} longs (at least 4: one id); tests use tiny slabs to cross many. */
    ChunkIdSet(int slabShift) {
        if (slabShift < 2 || slabShift > 30) {
            throw new IllegalArgumentException("slab shift out of range: " + slabShift);
        }
        this.slabShift = slabShift;
        this.capacity = 1024;
        this.slabs = allocate(capacity);
    }

    public long size() {
        return size + (hasZero ? 1 : 0);
    }

    /** Adds the id {@code id[off, off + 32)}; false when it was present. */
    public boolean add(byte[] id, int off) {
        long a = word(id, off);
        long b = word(id, off + 8);
        long c = word(id, off + 16);
        long d = word(id, off + 24);
        if ((a | b | c | d) == 0) {
            boolean added = !hasZero;
            hasZero = true;
            return added;
        }
        if ((size + 1) * 4 > capacity * 3) {
            grow();
        }
        long slot = probe(slabs, capacity, a, b, c, d);
        long pos = slot * LONGS;
        long[] slab = slabs[slabOf(pos, slabShift)];
        int at = offsetOf(pos, slabShift);
        if (slab[at] != 0 || slab[at + 1] != 0 || slab[at + 2] != 0 || slab[at + 3] != 0) {
            return false;
        }
        slab[at] = a;
        slab[at + 1] = b;
        slab[at + 2] = c;
        slab[at + 3] = d;
        size++;
        return true;
    }

    public boolean contains(byte[] id, int off) {
        long a = word(id, off);
        long b = word(id, off + 8);
        long c = word(id, off + 16);
        long d = word(id, off + 24);
        if ((a | b | c | d) == 0) {
            return hasZero;
        }
        long pos = probe(slabs, capacity, a, b, c, d) * LONGS;
        long[] slab = slabs[slabOf(pos, slabShift)];
        int at = offsetOf(pos, slabShift);
        return slab[at] != 0 || slab[at + 1] != 0 || slab[at + 2] != 0 || slab[at + 3] != 0;
    }

    /** The slot holding the id, or the empty slot where it would go. */
    private long probe(long[][] table, long cap, long a, long b, long c, long d) {
        long mask = cap - 1;
        long slot = a & mask;
        while (true) {
            long pos = slot * LONGS;
            long[] slab = table[slabOf(pos, slabShift)];
            int at = offsetOf(pos, slabShift);
            long x = slab[at];
            long y = slab[at + 1];
            long z = slab[at + 2];
            long w = slab[at + 3];
            if ((x | y | z | w) == 0 || (x == a && y == b && z == c && w == d)) {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
    }

    private void grow() {
        long[][] old = slabs;
        long oldCap = capacity;
        long newCap = capacity * 2;
        long[][] fresh = allocate(newCap);
        for (long slot = 0; slot < oldCap; slot++) {
            long pos = slot * LONGS;
            long[] slab = old[slabOf(pos, slabShift)];
            int at = offsetOf(pos, slabShift);
            long a = slab[at];
            long b = slab[at + 1];
            long c = slab[at + 2];
            long d = slab[at + 3];
            if ((a | b | c | d) == 0) {
                continue;
            }
            long to = probe(fresh, newCap, a, b, c, d) * LONGS;
            long[] dst = fresh[slabOf(to, slabShift)];
            int t = offsetOf(to, slabShift);
            dst[t] = a;
            dst[t + 1] = b;
            dst[t + 2] = c;
            dst[t + 3] = d;
        }
        slabs = fresh;
        capacity = newCap;
    }

    private long[][] allocate(long cap) {
        long longs = cap * LONGS;
        long perSlab = 1L << slabShift;
        if (longs <= perSlab) {
            return new long[][] {new long[(int) longs]};
        }
        long count = longs >>> slabShift;
        if (count > Integer.MAX_VALUE) {
            throw new IllegalStateException("chunk id set too large: " + cap + " slots");
        }
        long[][] s = new long[(int) count][];
        for (int i = 0; i < s.length; i++) {
            s[i] = new long[(int) perSlab];
        }
        return s;
    }

    /** The slab holding the long at table position {@code pos}. */
    static int slabOf(long pos, int slabShift) {
        long slab = pos >>> slabShift;
        if (slab > Integer.MAX_VALUE) {
            throw new IllegalStateException("position beyond the largest table: " + pos);
        }
        return (int) slab;
    }

    /** The index within its slab of the long at table position {@code pos}. */
    static int offsetOf(long pos, int slabShift) {
        return (int) (pos & ((1L << slabShift) - 1));
    }

    private static long word(byte[] b, int off) {
        return (b[off] & 0xffL) << 56 | (b[off + 1] & 0xffL) << 48 | (b[off + 2] & 0xffL) << 40
                | (b[off + 3] & 0xffL) << 32 | (b[off + 4] & 0xffL) << 24 | (b[off + 5] & 0xffL) << 16
                | (b[off + 6] & 0xffL) << 8 | (b[off + 7] & 0xffL);
    }
}
