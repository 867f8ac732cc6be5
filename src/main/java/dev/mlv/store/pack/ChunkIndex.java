package dev.mlv.store.pack;

import java.util.Arrays;

/**
 * In-memory map from chunk id to its location (pack ordinal, offset, lengths, compression),
 * built from pack indexes. Everything is primitive arrays: ids in one byte slab, fields in
 * parallel int arrays, and an open-addressing int table keyed on the id's first bytes (ids are
 * SHA-256 outputs, so their prefix is already uniformly distributed). About 57 bytes per chunk;
 * no object per chunk. Entries are only added, so a slot number stays valid. Thread-safe.
 * Slots are {@code int}s and ids sit in one array: it holds at most {@link #MAX_ENTRIES}, so it
 * serves bounded tables only (a lookup's recent packs); sets of ids as large as the store are
 * {@link ChunkIdSet}s.
 */
public final class ChunkIndex {
    private static final int ID = PackFormat.ID_LENGTH;
    /** Most entries: ids in one byte array, and a table of twice as many slots, both indexed by {@code int}. */
    public static final int MAX_ENTRIES = 1 << 25;

    private byte[] ids;
    private int[] packs;
    private int[] offsets;
    private int[] rawLengths;
    private int[] storedLengths;
    private byte[] compressions;
    private int size;
    private int[] table;
    private int mask;

    public ChunkIndex() {
        this(1024);
    }

    public ChunkIndex(int expected) {
        int cap = Math.max(16, Math.min(expected, MAX_ENTRIES));
        ids = new byte[cap * ID];
        packs = new int[cap];
        offsets = new int[cap];
        rawLengths = new int[cap];
        storedLengths = new int[cap];
        compressions = new byte[cap];
        int tableSize = Integer.highestOneBit(Math.max(32, cap * 2 - 1)) * 2;
        table = new int[tableSize];
        mask = tableSize - 1;
    }

    public synchronized int size() {
        return size;
    }

    /** Slot of the chunk whose id is {@code id[off, off+32)}, or -1. */
    public synchronized int find(byte[] id, int off) {
        int h = hash(id, off) & mask;
        while (true) {
            int v = table[h];
            if (v == 0) {
                return -1;
            }
            int slot = v - 1;
            if (Arrays.equals(ids, slot * ID, slot * ID + ID, id, off, off + ID)) {
                return slot;
            }
            h = (h + 1) & mask;
        }
    }

    /**
     * Adds a chunk unless its id is present (the first location wins) and returns its slot.
     * {@code offset} is the entry's offset in its pack and must be below 4 GiB.
     */
    public synchronized int add(byte[] id, int off, int pack, long offset, int raw, int stored, int compression) {
        if (offset < 0 || offset > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("pack offset out of range: " + offset);
        }
        int h = hash(id, off) & mask;
        while (true) {
            int v = table[h];
            if (v == 0) {
                break;
            }
            int slot = v - 1;
            if (Arrays.equals(ids, slot * ID, slot * ID + ID, id, off, off + ID)) {
                return slot;
            }
            h = (h + 1) & mask;
        }
        if (size == packs.length) {
            grow();
            return add(id, off, pack, offset, raw, stored, compression);
        }
        int slot = size++;
        System.arraycopy(id, off, ids, slot * ID, ID);
        packs[slot] = pack;
        offsets[slot] = (int) offset;
        rawLengths[slot] = raw;
        storedLengths[slot] = stored;
        compressions[slot] = (byte) compression;
        table[h] = slot + 1;
        return slot;
    }

    /** Adds every record of a pack under the given ordinal. */
    public synchronized void addAll(PackRecords pack, int ordinal) {
        for (int i = 0; i < pack.count(); i++) {
            add(pack.records(), pack.idOffset(i), ordinal, pack.offset(i), pack.rawLength(i),
                    pack.storedLength(i), pack.compression(i));
        }
    }

    public synchronized int pack(int slot) {
        return packs[slot];
    }

    public synchronized long offset(int slot) {
        return offsets[slot] & 0xFFFF_FFFFL;
    }

    public synchronized int rawLength(int slot) {
        return rawLengths[slot];
    }

    public synchronized int storedLength(int slot) {
        return storedLengths[slot];
    }

    public synchronized int compression(int slot) {
        return compressions[slot];
    }

    /** Sum of raw lengths of all distinct chunks. */
    public synchronized long totalRawBytes() {
        long sum = 0;
        for (int i = 0; i < size; i++) {
            sum += rawLengths[i];
        }
        return sum;
    }

    private void grow() {
        if (packs.length >= MAX_ENTRIES) {
            throw new IllegalStateException("chunk table full: " + size + " entries (at most " + MAX_ENTRIES + ")");
        }
        int cap = packs.length * 2;
        ids = Arrays.copyOf(ids, cap * ID);
        packs = Arrays.copyOf(packs, cap);
        offsets = Arrays.copyOf(offsets, cap);
        rawLengths = Arrays.copyOf(rawLengths, cap);
        storedLengths = Arrays.copyOf(storedLengths, cap);
        compressions = Arrays.copyOf(compressions, cap);
        table = new int[table.length * 2];
        mask = table.length - 1;
        for (int slot = 0; slot < size; slot++) {
            int h = hash(ids, slot * ID) & mask;
            while (table[h] != 0) {
                h = (h + 1) & mask;
            }
            table[h] = slot + 1;
        }
    }

    private static int hash(byte[] id, int off) {
        return (id[off] & 0xff) << 24 | (id[off + 1] & 0xff) << 16 | (id[off + 2] & 0xff) << 8 | (id[off + 3] & 0xff);
    }
}
