/**
 * Packs and their indexes: the byte layout of entries, footers and index files
 * ({@code PackFormat}, docs/format.md), writing packs, reading footers and indexes, the in-memory
 * chunk table ({@code ChunkIndex}), and per-chunk zstd compression.
 */
package dev.mlv.store.pack;
