package dev.mlv.store;

/**
 * What one upload or download moved.
 *
 * @param files files whose manifests were transferred
 * @param filesSkipped files the destination already had
 * @param chunks chunks transferred
 * @param chunksSkipped chunks the destination already had (or that occur twice in this transfer)
 * @param bytes bytes transferred: packs, indexes and manifests as stored (chunks compressed where
 *     they were stored compressed)
 * @param skippedBytes raw bytes of the skipped chunks
 * @param packs packs written at the destination
 * @param requests requests made for chunk data (range reads on download, pack uploads on upload)
 * @param millis wall time
 */
public record TransferResult(long files, long filesSkipped, long chunks, long chunksSkipped, long bytes,
                             long skippedBytes, int packs, long requests, long millis) {
    public static final TransferResult NONE = new TransferResult(0, 0, 0, 0, 0, 0, 0, 0, 0);

    public TransferResult plus(TransferResult o) {
        return new TransferResult(files + o.files, filesSkipped + o.filesSkipped, chunks + o.chunks,
                chunksSkipped + o.chunksSkipped, bytes + o.bytes, skippedBytes + o.skippedBytes, packs + o.packs,
                requests + o.requests, millis + o.millis);
    }
}
