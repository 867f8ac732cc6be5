package dev.mlv.store;

import dev.mlv.store.pack.ChunkIndex;
import dev.mlv.store.pack.MultiPackIndex;
import dev.mlv.store.pack.RecordTable;
import java.util.Arrays;
import java.util.List;

/**
 * Where the store's chunks are, as one process sees it: the multi-pack index (if any), then the
 * pack indexes it does not cover, each searched in place. A lookup returns a position, a
 * {@code long} valid for this object's life; packs are numbered by the catalog's ordinals. Packs
 * are only added to a lookup, so a position stays valid; {@link PackCatalog#reload} makes a new
 * one. Thread-safe: reads take no lock.
 */
final class ChunkLookup {
    /** A pack index searched on its own, and the position of its first record in this lookup. */
    record Part(RecordTable table, int ordinal, long base) {
    }

    private final MultiPackIndex midx;
    /** The catalog ordinal of each of the multi-pack index's packs; -1 for a pack no longer in the store. */
    private final int[] midxOrdinals;
    private final long midxCount;
    /**
     * Up to this many pack indexes outside the multi-pack index are binary-searched one by one;
     * beyond it (a store written before multi-pack indexes, a remote store, a command that writes
     * many packs) their ids are also hashed in the heap, so a lookup, above all a miss, stays one
     * probe and not one search per pack.
     */
    static final int SEARCHED_ONE_BY_ONE = 8;
    /** Most records hashed (about 57 bytes of heap each); past it, parts are searched one by one. */
    static final long HASH_LIMIT = 1 << 20;

    private volatile Part[] parts = new Part[0];
    /** Record positions of every part by chunk id, once there are more than {@link #SEARCHED_ONE_BY_ONE} parts. */
    private volatile ChunkIndex hashed;
    private volatile long end;
    /** Opens the indexes of the packs the multi-pack index covers; set only when it names removed packs. */
    private java.util.function.Supplier<List<Part>> coveredIndexes;
    private volatile Part[] covered;
    /** Positions of records found through {@link #covered} start here, far above any other. */
    private static final long COVERED = 1L << 62;

    ChunkLookup(MultiPackIndex midx, int[] midxOrdinals) {
        this.midx = midx;
        this.midxOrdinals = midxOrdinals;
        this.midxCount = midx == null ? 0 : midx.count();
        this.end = midxCount;
    }

    /** Adds a pack index searched after everything before it (called under the catalog's lock). */
    void add(RecordTable table, int ordinal) {
        Part[] now = parts;
        Part[] next = Arrays.copyOf(now, now.length + 1);
        Part part = new Part(table, ordinal, end);
        next[now.length] = part;
        end += table.count();
        if (end - midxCount > HASH_LIMIT) {
            hashed = null; // too many to hold in the heap: searched one by one until a consolidation
        } else if (hashed != null) {
            hash(now.length, part);
        } else if (next.length > SEARCHED_ONE_BY_ONE) {
            ChunkIndex h = new ChunkIndex(4096);
            for (int k = 0; k < next.length; k++) {
                hash(h, k, next[k]);
            }
            hashed = h;
        }
        parts = next; // published after it is hashed: a reader never finds a part it cannot see
    }

    /** Adds a part's records to {@link #hashed}: its number as the "pack", the record's number as the "offset". */
    private void hash(int number, Part part) {
        hash(hashed, number, part);
    }

    private static void hash(ChunkIndex h, int number, Part part) {
        byte[] id = new byte[32];
        for (long i = 0; i < part.table.count(); i++) {
            part.table.id(i, id, 0);
            h.add(id, 0, number, i, 0, 0, 0);
        }
    }

    /**
     * For a multi-pack index that names removed packs: how to open the indexes of the packs it
     * covers, searched when it places a chunk in a removed pack (another pack may hold a copy).
     */
    void setCoveredIndexes(java.util.function.Supplier<List<Part>> opener) {
        this.coveredIndexes = opener;
    }

    private Part[] covered() {
        Part[] c = covered;
        if (c == null) {
            synchronized (this) {
                if (covered == null) {
                    List<Part> opened = coveredIndexes.get();
                    Part[] rebased = new Part[opened.size()];
                    long base = COVERED;
                    for (int k = 0; k < rebased.length; k++) {
                        rebased[k] = new Part(opened.get(k).table(), opened.get(k).ordinal(), base);
                        base += opened.get(k).table().count();
                    }
                    covered = rebased;
                }
                c = covered;
            }
        }
        return c;
    }

    /** How many pack indexes are searched on their own: packs written since the last consolidation. */
    int separateIndexes() {
        return parts.length;
    }

    MultiPackIndex multiPackIndex() {
        return midx;
    }

    /** The catalog ordinal of the multi-pack index's pack {@code p}, or -1 when that pack is gone. */
    int midxOrdinal(int p) {
        return midxOrdinals[p];
    }

    /** The pack indexes searched on their own, in search order. */
    List<Part> parts() {
        return List.of(parts);
    }

    /** Position of the chunk whose id is {@code id[off, off + 32)}, or -1 when no indexed pack holds it. */
    long find(byte[] id, int off) {
        if (midx != null) {
            long i = midx.find(id, off);
            if (i >= 0 && midxOrdinals[midx.pack(i)] >= 0) {
                return i;
            }
            if (i >= 0) {
                for (Part p : covered()) {
                    long k = p.table.find(id, off);
                    if (k >= 0) {
                        return p.base + k;
                    }
                }
            }
        }
        Part[] ps = parts;
        ChunkIndex h = hashed;
        if (h != null) {
            int slot = h.find(id, off);
            return slot < 0 || h.pack(slot) >= ps.length ? -1 : ps[h.pack(slot)].base + h.offset(slot);
        }
        for (Part p : ps) {
            long i = p.table.find(id, off);
            if (i >= 0) {
                return p.base + i;
            }
        }
        return -1;
    }

    private Part part(long pos) {
        Part[] ps = pos >= COVERED ? covered : parts;
        int lo = 0;
        int hi = ps.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (ps[mid].base <= pos) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return ps[lo];
    }

    int pack(long pos) {
        if (pos < midxCount) {
            return midxOrdinals[midx.pack(pos)];
        }
        return part(pos).ordinal;
    }

    long offset(long pos) {
        if (pos < midxCount) {
            return midx.offset(pos);
        }
        Part p = part(pos);
        return p.table.offset(pos - p.base);
    }

    int rawLength(long pos) {
        if (pos < midxCount) {
            return midx.rawLength(pos);
        }
        Part p = part(pos);
        return p.table.rawLength(pos - p.base);
    }

    int storedLength(long pos) {
        if (pos < midxCount) {
            return midx.storedLength(pos);
        }
        Part p = part(pos);
        return p.table.storedLength(pos - p.base);
    }

    int compression(long pos) {
        if (pos < midxCount) {
            return midx.compression(pos);
        }
        Part p = part(pos);
        return p.table.compression(pos - p.base);
    }

    /** Distinct chunks, and the sum of their raw lengths (a pass over every record: for statistics). */
    long[] countAndRawBytes() {
        long chunks = 0;
        long raw = 0;
        byte[] id = new byte[32];
        if (midx != null) {
            for (long i = 0; i < midxCount; i++) {
                if (midxOrdinals[midx.pack(i)] >= 0) {
                    chunks++;
                    raw += midx.rawLength(i);
                }
            }
        }
        Part[] ps = parts;
        for (int k = 0; k < ps.length; k++) {
            RecordTable t = ps[k].table;
            for (long i = 0; i < t.count(); i++) {
                t.id(i, id, 0);
                if (find(id, 0) == ps[k].base + i) { // counted once, where a lookup finds it
                    chunks++;
                    raw += t.rawLength(i);
                }
            }
        }
        return new long[] {chunks, raw};
    }
}
