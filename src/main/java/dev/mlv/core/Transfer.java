package dev.mlv.core;

import dev.mlv.store.TransferResult;

/**
 * What a push, pull, fetch or clone moved between the local and the remote store.
 *
 * @param files file versions transferred
 * @param filesSkipped file versions the other side already had
 * @param chunks chunks transferred
 * @param chunksSkipped chunks the other side already had
 * @param bytes bytes sent or received (packs, indexes, manifests)
 * @param skippedBytes raw bytes of the chunks not sent because the other side had them
 * @param packs packs written on the other side
 * @param millis time spent
 */
public record Transfer(long files, long filesSkipped, long chunks, long chunksSkipped, long bytes, long skippedBytes,
                       int packs, long millis) {
    public static final Transfer NONE = new Transfer(0, 0, 0, 0, 0, 0, 0, 0);

    public static Transfer of(TransferResult r) {
        return new Transfer(r.files(), r.filesSkipped(), r.chunks(), r.chunksSkipped(), r.bytes(), r.skippedBytes(),
                r.packs(), r.millis());
    }

    public Transfer plus(Transfer o) {
        return new Transfer(files + o.files, filesSkipped + o.filesSkipped, chunks + o.chunks,
                chunksSkipped + o.chunksSkipped, bytes + o.bytes, skippedBytes + o.skippedBytes, packs + o.packs,
                millis + o.millis);
    }
}
