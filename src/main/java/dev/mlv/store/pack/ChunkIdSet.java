package dev.mlv.store.pack;

/**
 * A set of chunk ids, in the heap but with no ceiling below memory: an open-addressing table
 * in slabs of {@code 2^slabShift} longs, slot numbers and positions {@code long}, so no
 * {@code int} offset overflows however many ids it holds (up to 2^47 with the default slabs, far
 * beyond 2^40). The table is at most three quarters full and doubles when it is not, holding for
 * a moment the old table and the new. Ids are SHA-256 outputs, so their first eight bytes are
 * already a uniform hash. Not thread-safe.
 *
 * <p>Two kinds: {@link #exact()} keeps each whole 32-byte id (four {@code long}s: 43 to 85
 * bytes per id, 64 on average); {@link #superset()} keeps only each id's first eight bytes (one
 * {@code long}: 11 to 21 bytes per id, 16 on average, so 10 million ids take 128 MiB), and may
 * therefore answer yes for an id never added, with probability about n / 2^64 per query. Use the
 * superset only where a wrong yes errs on the safe side: gc's live set, where it keeps a chunk.
 */
public final class ChunkIdSet {
    private static final int ID = PackFormat.ID_LENGTH;
    /** 2^20 longs: slabs of 8 MiB. */
    private static final int DEFAULT_SLAB_SHIFT = 20;

    private final int slabShift;
    /** Longs kept per id: 4 (the whole id) or 1 (its first eight bytes). */
    private final int longs;
    private long[][] slabs;
    /** Slots in the table, a power of two. */
    private long capacity;
    private long size;
    /** The id whose kept words are all zero, which the table cannot hold (zero marks an empty slot). */
    private boolean hasZero;

    /** Whole ids: membership is exact. */
    public static ChunkIdSet exact() {
        return new ChunkIdSet(DEFAULT_SLAB_SHIFT, 4);
    }

    /** First eight bytes of each id: never misses an id added, may (about n / 2^64) claim one that was not. */
    public static ChunkIdSet superset() {
        return new ChunkIdSet(DEFAULT_SLAB_SHIFT, 1);
    }

    /** Exact, with slabs of {@code 2^slabShift} longs; tests use tiny slabs to cross many. */
    ChunkIdSet(int slabShift) {
        this(slabShift, 4);
    }

    ChunkIdSet(int slabShift, int longs) {
        if (slabShift < 2 || slabShift > 30) {
            throw new IllegalArgumentException("slab shift out of range: " + slabShift);
        }
        if (longs != 1 && longs != 4) {
            throw new IllegalArgumentException("longs per id must be 1 or 4: " + longs);
        }
        this.slabShift = slabShift;
        this.longs = longs;
        this.capacity = 1024;
        this.slabs = allocate(capacity);
    }

    public long size() {
        return size + (hasZero ? 1 : 0);
    }

    /** Bytes of heap the table holds now (diagnostics and tests of the per-id cost). */
    public long tableBytes() {
        return capacity * longs * 8;
    }

    /** Adds the id {@code id[off, off + 32)}; false when it was present. */
    public boolean add(byte[] id, int off) {
        long[] w = words(id, off);
        if (isZero(w)) {
            boolean added = !hasZero;
            hasZero = true;
            return added;
        }
        if ((size + 1) * 4 > capacity * 3) {
            grow();
        }
        long slot = probe(slabs, capacity, w);
        long pos = slot * longs;
        long[] slab = slabs[slabOf(pos, slabShift)];
        int at = offsetOf(pos, slabShift);
        if (slab[at] != 0 || !emptyRest(slab, at)) {
            return false;
        }
        System.arraycopy(w, 0, slab, at, longs);
        size++;
        return true;
    }

    public boolean contains(byte[] id, int off) {
        long[] w = words(id, off);
        if (isZero(w)) {
            return hasZero;
        }
        long pos = probe(slabs, capacity, w) * longs;
        long[] slab = slabs[slabOf(pos, slabShift)];
        int at = offsetOf(pos, slabShift);
        return slab[at] != 0 || !emptyRest(slab, at);
    }

    private boolean emptyRest(long[] slab, int at) {
        for (int k = 1; k < longs; k++) {
            if (slab[at + k] != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isZero(long[] w) {
        for (long x : w) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    /** The slot holding the id, or the empty slot where it would go. */
    private long probe(long[][] table, long cap, long[] w) {
        long mask = cap - 1;
        long slot = w[0] & mask;
        while (true) {
            long pos = slot * longs;
            long[] slab = table[slabOf(pos, slabShift)];
            int at = offsetOf(pos, slabShift);
            boolean empty = true;
            boolean same = true;
            for (int k = 0; k < longs; k++) {
                long x = slab[at + k];
                empty &= x == 0;
                same &= x == w[k];
            }
            if (empty || same) {
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
        long[] w = new long[longs];
        for (long slot = 0; slot < oldCap; slot++) {
            long pos = slot * longs;
            long[] slab = old[slabOf(pos, slabShift)];
            int at = offsetOf(pos, slabShift);
            System.arraycopy(slab, at, w, 0, longs);
            if (isZero(w)) {
                continue;
            }
            long to = probe(fresh, newCap, w) * longs;
            System.arraycopy(w, 0, fresh[slabOf(to, slabShift)], offsetOf(to, slabShift), longs);
        }
        slabs = fresh;
        capacity = newCap;
    }

    private long[][] allocate(long cap) {
        long total = cap * longs;
        long perSlab = 1L << slabShift;
        if (total <= perSlab) {
            return new long[][] {new long[(int) total]};
        }
        long count = total >>> slabShift;
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

    private long[] words(byte[] b, int off) {
        long[] w = new long[longs];
        for (int k = 0; k < longs; k++) {
            w[k] = word(b, off + 8 * k);
        }
        return w;
    }

    private static long word(byte[] b, int off) {
        return (b[off] & 0xffL) << 56 | (b[off + 1] & 0xffL) << 48 | (b[off + 2] & 0xffL) << 40
                | (b[off + 3] & 0xffL) << 32 | (b[off + 4] & 0xffL) << 24 | (b[off + 5] & 0xffL) << 16
                | (b[off + 6] & 0xffL) << 8 | (b[off + 7] & 0xffL);
    }
}
