/**
 * Content-defined chunking with Xet's gear hash and parameters (same input, same boundaries as
 * Xet), and chunk ids (SHA-256 of a chunk's bytes). Pinned by golden tests on seeded data.
 */
package dev.mlv.store.chunk;
