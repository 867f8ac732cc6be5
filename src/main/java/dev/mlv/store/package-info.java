/**
 * The chunked, content-addressed store: content-defined chunking, chunk ids, packs and their indexes,
 * manifests, pointers, and the backends that move bytes (a local directory, S3). A plain library:
 * it imports nothing of mlv's other packages. Its formats are specified in docs/format.md.
 */
package dev.mlv.store;
