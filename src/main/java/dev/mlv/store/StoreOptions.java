package dev.mlv.store;

import dev.mlv.store.chunk.ChunkerParams;

/**
 * Tuning of a store instance. Only {@link #chunkerParams} is part of the store's format (recorded
 * in {@code config.json}); the rest may differ between writers of one store.
 *
 * @param chunkerParams how content is cut into chunks; must equal the store's recorded params
 * @param packSize a pack is closed once it reaches about this many bytes (at most 2 GiB)
 * @param maxChunksPerPack a pack is closed once it holds this many chunks
 * @param compress whether to try zstd on new chunks
 * @param blockSize bytes per read buffer of the ingest pipeline
 * @param blocks read buffers per ingest (the pipeline's memory bound is about blocks * blockSize)
 * @param directIo write pack staging files with {@code O_DIRECT} where the file system allows it
 *     (falls back to the page cache otherwise; durability is the same, see docs/benchmarks.md)
 */
public record StoreOptions(ChunkerParams chunkerParams, long packSize, int maxChunksPerPack, boolean compress,
                           int blockSize, int blocks, boolean directIo) {
    public static final long DEFAULT_PACK_SIZE = 64L << 20;
    public static final int DEFAULT_MAX_CHUNKS_PER_PACK = 16384;

    public StoreOptions {
        if (packSize < 1 || packSize > (2L << 30)) {
            throw new IllegalArgumentException("pack size must be in [1, 2 GiB], got " + packSize);
        }
        if (maxChunksPerPack < 1) {
            throw new IllegalArgumentException("max chunks per pack must be >= 1");
        }
        if (blockSize < 1 || blocks < 2) {
            throw new IllegalArgumentException("need blockSize >= 1 and blocks >= 2");
        }
    }

    /** Xet chunking, 64 MiB packs, zstd, four 4 MiB read buffers, direct pack writes. */
    public static StoreOptions defaults() {
        return new StoreOptions(ChunkerParams.DEFAULT, DEFAULT_PACK_SIZE, DEFAULT_MAX_CHUNKS_PER_PACK, true,
                4 << 20, 4, true);
    }

    public StoreOptions withDirectIo(boolean on) {
        return new StoreOptions(chunkerParams, packSize, maxChunksPerPack, compress, blockSize, blocks, on);
    }

    public StoreOptions withChunkerParams(ChunkerParams p) {
        return new StoreOptions(p, packSize, maxChunksPerPack, compress, blockSize, blocks, directIo);
    }

    public StoreOptions withPackSize(long bytes) {
        return new StoreOptions(chunkerParams, bytes, maxChunksPerPack, compress, blockSize, blocks, directIo);
    }

    public StoreOptions withMaxChunksPerPack(int n) {
        return new StoreOptions(chunkerParams, packSize, n, compress, blockSize, blocks, directIo);
    }

    public StoreOptions withCompression(boolean on) {
        return new StoreOptions(chunkerParams, packSize, maxChunksPerPack, on, blockSize, blocks, directIo);
    }

    public StoreOptions withBuffers(int size, int count) {
        return new StoreOptions(chunkerParams, packSize, maxChunksPerPack, compress, size, count, directIo);
    }
}
