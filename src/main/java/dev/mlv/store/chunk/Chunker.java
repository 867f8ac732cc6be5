package dev.mlv.store.chunk;

import java.util.Objects;

/**
 * Finds content-defined chunk boundaries in a byte stream, with the rules of Hugging Face's Xet
 * chunker (hub-docs {@code docs/xet/chunking.md}; xet-core {@code deduplication/src/chunking.rs}).
 * Stateful and not thread-safe: feed it consecutive buffers of one stream.
 *
 * <p>The rules, for each chunk, counting its bytes from 1:
 * <ul>
 *   <li>the gear hash starts at 0 and takes each byte as {@code h = (h << 1) + TABLE[b]}
 *       (wrapping 64-bit arithmetic, {@link GearTable});</li>
 *   <li>the chunk ends after the first byte at which its length is at least {@code minSize} and
 *       {@code (h & mask) == 0}; that byte belongs to the chunk it ends;</li>
 *   <li>otherwise it ends when its length reaches {@code maxSize};</li>
 *   <li>the bytes after the last boundary form the final chunk, however short.</li>
 * </ul>
 * Because of the shift, the hash after a byte depends only on the last 64 bytes, so the first
 * {@code minSize - 64 - 1} bytes of each chunk are skipped without hashing (Xet's cut-point
 * skipping); the hash at every position that is tested is the same as without skipping.
 *
 * <p>These are the rules of current xet-core, which resets the hash at each cut and never
 * cuts below {@code minSize}. Older xet-core kept the hash across cuts and could cut as early as
 * {@code minSize - 64}; its test vectors differ, and {@code ChunkerXetVectorsTest} pins the
 * current ones.
 */
public final class Chunker {
    /** The gear hash forgets a byte after 64 shifts of a 64-bit word. */
    private static final int HASH_WINDOW = 64;
    /** Bytes per lane of the two-lane scan (see {@link #scan}); measured, not critical. */
    private static final int LANE = 1024;

    private final ChunkerParams params;
    private final int minSize;
    private final int maxSize;
    private final long mask;
    /** Bytes at the start of each chunk that are never hashed (Xet: min - 64 - 1). */
    private final int skipSize;

    /** Bytes in the current chunk so far; always below maxSize between calls. */
    private int pending;
    private long hash;

    /** A chunker with Xet's parameters ({@link ChunkerParams#DEFAULT}). */
    public Chunker() {
        this(ChunkerParams.DEFAULT);
    }

    public Chunker(ChunkerParams params) {
        this.params = Objects.requireNonNull(params, "params");
        this.minSize = params.minSize();
        this.maxSize = params.maxSize();
        this.mask = params.mask();
        this.skipSize = Math.max(0, minSize - HASH_WINDOW - 1);
    }

    /**
     * Scans {@code data[off, off+len)}. If a chunk boundary lies within, returns the number of
     * bytes from {@code off} up to and including the last byte of the current chunk (at least 1)
     * and resets the state for the next chunk; otherwise consumes all {@code len} bytes into the
     * current chunk and returns -1. The caller calls again with the remaining bytes. At the end
     * of the stream the {@link #pending()} bytes since the last boundary (if any) form the final
     * chunk.
     */
    public int next(byte[] data, int off, int len) {
        Objects.checkFromIndexSize(off, len, data.length);
        if (len == 0) {
            return -1;
        }
        int end = off + len;
        int pos = off;
        int chunkLen = pending;

        // Cut-point skipping: these bytes can neither end the chunk nor reach the hash at any
        // position where it is tested.
        if (chunkLen < skipSize) {
            int skip = Math.min(skipSize - chunkLen, len);
            pos += skip;
            chunkLen += skip;
            if (pos == end) {
                pending = chunkLen;
                return -1;
            }
        }

        // Never scan past the byte that makes the chunk maxSize long.
        int scanEnd = pos + Math.min(end - pos, maxSize - chunkLen);
        int scanStart = pos;
        final long[] table = GearTable.TABLE;
        long h = hash;

        // Hash without testing until the byte that brings the chunk to minSize.
        int warmUp = Math.min(scanEnd - pos, minSize - 1 - chunkLen);
        if (warmUp > 0) {
            int warmEnd = pos + warmUp;
            for (; pos < warmEnd; pos++) {
                h = (h << 1) + table[data[pos] & 0xFF];
            }
        }

        int boundary = scan(data, pos, scanEnd, h);
        if (boundary >= 0) {
            return cut(boundary - off);
        }
        chunkLen += scanEnd - scanStart;
        if (chunkLen == maxSize) {
            return cut(scanEnd - off);
        }
        pending = chunkLen;
        return -1;
    }

    /**
     * Hashes and tests {@code data[from, to)}, starting from hash {@code h}. Returns the index
     * just past the first byte where {@code (h & mask) == 0}, or -1 after storing the hash at
     * {@code to} in {@link #hash}.
     *
     * <p>One hash chain costs two dependent instructions per byte, so the scan runs two chains
     * at once over adjacent lanes. This is exact because the hash after a byte depends only on
     * the last {@value #HASH_WINDOW} bytes: lane B starts from 0 that many bytes before its
     * first tested position. Lane A is the true chain and is tested first, so a hit in lane B
     * counts only once lane A has found none before it.
     */
    private int scan(byte[] data, int from, int to, long h) {
        final long[] table = GearTable.TABLE;
        final long m = mask;
        final int laneBOffset = LANE - HASH_WINDOW;
        int p = from;
        while (to - p >= 2 * LANE) {
            long ha = h;
            long hb = 0;
            int laneAEnd = p + LANE;
            int laneBValidFrom = p + HASH_WINDOW;
            for (int i = p; i < laneAEnd; i++) {
                ha = (ha << 1) + table[data[i] & 0xFF];
                hb = (hb << 1) + table[data[i + laneBOffset] & 0xFF];
                if ((ha & m) == 0) {
                    return i + 1;
                }
                if ((hb & m) == 0 && i >= laneBValidFrom) {
                    for (int j = i + 1; j < laneAEnd; j++) {
                        ha = (ha << 1) + table[data[j] & 0xFF];
                        if ((ha & m) == 0) {
                            return j + 1;
                        }
                    }
                    return i + laneBOffset + 1;
                }
            }
            h = hb;
            p = laneAEnd + laneBOffset;
        }
        for (; p < to; p++) {
            h = (h << 1) + table[data[p] & 0xFF];
            if ((h & m) == 0) {
                return p + 1;
            }
        }
        hash = h;
        return -1;
    }

    private int cut(int consumed) {
        pending = 0;
        hash = 0;
        return consumed;
    }

    /** Bytes in the current (unfinished) chunk. */
    public long pending() {
        return pending;
    }

    /** Forgets the current chunk, as at the start of a new stream. */
    public void reset() {
        pending = 0;
        hash = 0;
    }

    public ChunkerParams params() {
        return params;
    }
}
