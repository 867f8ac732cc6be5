package dev.mlv.store.pack;

/**
 * Chunk locations sorted by chunk id (unsigned byte order), addressed by {@code long} position:
 * a pack index or the multi-pack index, read in place.
 */
public interface RecordTable {
    long count();

    /** Position of the record whose id is {@code id[off, off + 32)}, or -1: a binary search. */
    long find(byte[] id, int off);

    /** Copies the id of record {@code i} into {@code dst[off, off + 32)}. */
    void id(long i, byte[] dst, int off);

    /** Compares record {@code i}'s id with {@code id[off, off + 32)}. */
    int compareId(long i, byte[] id, int off);

    /** The record's pack, numbered as the table numbers its packs. */
    int pack(long i);

    long offset(long i);

    int rawLength(long i);

    int storedLength(long i);

    int compression(long i);

    /** Binary search of records {@code [lo, hi]} for {@code id[off, off + 32)}: its position, or -1. */
    default long search(byte[] id, int off, long lo, long hi) {
        while (lo <= hi) {
            long mid = (lo + hi) >>> 1;
            int c = compareId(mid, id, off);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }
}
