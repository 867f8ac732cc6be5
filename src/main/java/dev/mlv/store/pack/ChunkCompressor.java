package dev.mlv.store.pack;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdException;

/**
 * Per-chunk zstd (level 1) compression that keeps a result only when it saves at least
 * {@link #MIN_SAVING}, and backs off on incompressible input so that random or float data pays
 * almost nothing: after {@link #FAILURES_BEFORE_BACKOFF} chunks in a row that did not compress,
 * it skips compression for a stretch of chunks, then probes one chunk; each failed probe doubles
 * the stretch (up to {@link #MAX_SKIP} chunks), and one success resets it. Not thread-safe; one
 * per ingest.
 */
public final class ChunkCompressor implements AutoCloseable {
    /** Compressed bytes are kept only if they save at least this fraction of the raw length. */
    public static final double MIN_SAVING = 0.08;
    static final int FAILURES_BEFORE_BACKOFF = 3;
    static final int INITIAL_SKIP = 16;
    static final int MAX_SKIP = 1024;

    private final ZstdCompressCtx ctx;
    private byte[] out = new byte[0];
    private int failuresInARow;
    private int skip = INITIAL_SKIP;
    private int toSkip;
    private long attempts;

    public ChunkCompressor() {
        ctx = new ZstdCompressCtx();
        ctx.setLevel(1);
    }

    /**
     * Tries to compress {@code src[off, off+len)}. Returns the compressed length (bytes in
     * {@link #output()}) if worth keeping, else -1 (store raw).
     */
    public int compress(byte[] src, int off, int len) {
        if (toSkip > 0) {
            toSkip--;
            return -1;
        }
        attempts++;
        int limit = (int) (len * (1 - MIN_SAVING));
        int bound = (int) Zstd.compressBound(len);
        if (out.length < bound) {
            out = new byte[bound];
        }
        int n;
        try {
            n = ctx.compressByteArray(out, 0, out.length, src, off, len);
        } catch (ZstdException e) {
            n = Integer.MAX_VALUE;
        }
        if (n <= limit) {
            failuresInARow = 0;
            skip = INITIAL_SKIP;
            return n;
        }
        if (++failuresInARow >= FAILURES_BEFORE_BACKOFF) {
            toSkip = skip;
            skip = Math.min(MAX_SKIP, skip * 2);
        }
        return -1;
    }

    public byte[] output() {
        return out;
    }

    /** Number of chunks compression was attempted on (for tests and statistics). */
    public long attempts() {
        return attempts;
    }

    @Override
    public void close() {
        ctx.close();
    }

    /** Decompresses a zstd chunk into exactly {@code rawLength} bytes. */
    public static byte[] decompress(byte[] src, int off, int len, int rawLength) {
        byte[] dst = new byte[rawLength];
        long n = Zstd.decompressByteArray(dst, 0, rawLength, src, off, len);
        if (Zstd.isError(n) || n != rawLength) {
            throw new IllegalStateException("zstd data decodes to " + n + " bytes, expected " + rawLength);
        }
        return dst;
    }
}
