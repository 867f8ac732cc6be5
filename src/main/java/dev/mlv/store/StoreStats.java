package dev.mlv.store;

/**
 * Size of a store.
 *
 * @param packs pack files with an index
 * @param chunks distinct chunks
 * @param files file manifests (distinct file versions)
 * @param logicalBytes sum of the sizes of all stored files
 * @param chunkBytes sum of the raw sizes of all distinct chunks
 * @param storedBytes bytes of all packs on disk (headers and footers included)
 */
public record StoreStats(long packs, long chunks, long files, long logicalBytes, long chunkBytes, long storedBytes) {
    /** Logical bytes per stored byte (1.0 for an empty store); higher means more saved. */
    public double dedupeRatio() {
        return storedBytes == 0 ? 1.0 : (double) logicalBytes / storedBytes;
    }
}
