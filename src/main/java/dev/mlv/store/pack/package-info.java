/**
 * Packs and their indexes: the byte layout of entries, footers and index files
 * ({@code PackFormat}, docs/format.md), writing packs, reading footers and indexes, pack indexes
 * and the multi-pack index read in place through memory maps ({@code PackIndexFile},
 * {@code MultiPackIndex}, {@code Slab}), the in-memory chunk table ({@code ChunkIndex}), and
 * per-chunk zstd compression.
 */
package dev.mlv.store.pack;
