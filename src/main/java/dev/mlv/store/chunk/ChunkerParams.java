package dev.mlv.store.chunk;

/**
 * The parameters of content-defined chunking. {@link #DEFAULT} equals Hugging Face Xet's
 * chunker, so the same bytes give the same chunks as Xet. The parameters are recorded in a
 * store's config (see {@link #describe()}) so that a store never mixes chunks cut two ways.
 *
 * @param minSize no chunk but the last of a stream is shorter than this many bytes
 * @param targetSize the intended mean chunk length; informational, the mask decides
 * @param maxSize a chunk is cut at this length if the hash has not cut it before
 * @param mask a boundary lies after a byte where {@code (hash & mask) == 0}
 */
public record ChunkerParams(int minSize, int targetSize, int maxSize, long mask) {

    /**
     * Xet's parameters: target 64 KiB, min = target / 8 = 8 KiB, max = target * 2 = 128 KiB,
     * mask = 16 one-bits at the top of the hash. Sources: hub-docs {@code docs/xet/chunking.md}
     * ("Constant Parameters") and xet-core {@code deduplication/src/constants.rs}
     * ({@code TARGET_CDC_CHUNK_SIZE}, {@code MINIMUM_CHUNK_DIVISOR}, {@code MAXIMUM_CHUNK_MULTIPLIER}).
     */
    public static final ChunkerParams DEFAULT = forTarget(64 * 1024);

    public ChunkerParams {
        if (minSize < 1 || maxSize < minSize) {
            throw new IllegalArgumentException(
                    "chunk sizes must satisfy 1 <= min <= max, got min=" + minSize + " max=" + maxSize);
        }
        if (targetSize < minSize || targetSize > maxSize) {
            throw new IllegalArgumentException("target chunk size " + targetSize
                    + " is outside [" + minSize + ", " + maxSize + "]");
        }
        if (mask == 0) {
            throw new IllegalArgumentException("chunk boundary mask must not be 0 (every byte would cut)");
        }
    }

    /**
     * Parameters derived from a power-of-two target the way xet-core's {@code Chunker::new}
     * derives them: min = target / 8, max = target * 2, and a mask of log2(target) one-bits
     * shifted to the top of the hash (its top bits depend on the most bytes of the window).
     */
    public static ChunkerParams forTarget(int targetSize) {
        if (targetSize <= 64 || Integer.bitCount(targetSize) != 1 || targetSize > (1 << 29)) {
            throw new IllegalArgumentException(
                    "target chunk size must be a power of two in (64, 2^29], got " + targetSize);
        }
        long lowMask = targetSize - 1L;
        long mask = lowMask << Long.numberOfLeadingZeros(lowMask);
        return new ChunkerParams(targetSize / 8, targetSize, targetSize * 2, mask);
    }

    // equals and hashCode are written out: a record's generated ones bootstrap method handles on
    // first use, which every command that opens a store would pay at start-up.
    @Override
    public boolean equals(Object o) {
        return o instanceof ChunkerParams p && minSize == p.minSize && targetSize == p.targetSize
                && maxSize == p.maxSize && mask == p.mask;
    }

    @Override
    public int hashCode() {
        return (31 * (31 * minSize + targetSize) + maxSize) * 31 + Long.hashCode(mask);
    }

    /**
     * A stable one-line description for a store's config, e.g.
     * {@code gear-xet min=8192 target=65536 max=131072 mask=ffff000000000000}. Two stores chunk
     * the same way exactly when their descriptions are equal (the gear table is fixed).
     */
    public String describe() {
        return "gear-xet min=" + minSize + " target=" + targetSize + " max=" + maxSize
                + " mask=" + String.format("%016x", mask);
    }
}
