package dev.mlv.store;

/**
 * What a put stored.
 *
 * @param pointer the pointer to commit in place of the content
 * @param logicalBytes bytes of input (equals {@code pointer.size()})
 * @param newBytes bytes newly written to packs for this content (after compression, excluding headers)
 * @param reusedBytes input bytes whose chunks were already in the store (deduplicated)
 * @param chunks chunks the content was cut into
 * @param newChunks chunks that were not yet stored
 * @param packsWritten packs this put created
 */
public record PutResult(Pointer pointer, long logicalBytes, long newBytes, long reusedBytes, long chunks,
                        long newChunks, int packsWritten) {
}
