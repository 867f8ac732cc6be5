/**
 * The Git LFS Batch API (basic transfer) and the Locks API answers a pushing git-lfs client
 * needs, over the repository's chunk store through {@code core.serving.LfsObjects}. Downloads are
 * served by {@code mlv serve}'s own content endpoint, {@code /v1/objects/OID}.
 */
package dev.mlv.serve.lfs;
