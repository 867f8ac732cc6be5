package dev.mlv.store;

import java.util.List;

/**
 * What {@link ChunkStore#gc} removed (or, in a dry run, would remove) and how many bytes that
 * frees. Keys are store object keys; temp files are named relative to the store's tmp directory.
 *
 * @param dryRun nothing was deleted or written
 * @param removedManifests unreachable file manifests older than the grace period
 * @param removedPacks packs none of whose chunks is needed (with their indexes), and damaged packs a
 *     repair set aside in {@code quarantine/}
 * @param repacked packs rewritten without their unused chunks
 * @param merged groups of small packs rewritten together into one pack (live chunks only)
 * @param indexesRebuilt indexes written for kept packs that had none
 * @param removedTemp stale files of interrupted writes
 * @param keptYoung objects kept only because they are younger than the grace period
 * @param skipped packs left alone because they are damaged (see fsck)
 * @param bytesFreed bytes removed minus bytes of new packs and indexes
 */
public record GcReport(boolean dryRun, List<String> removedManifests, List<String> removedPacks, List<Repack> repacked,
                       List<Merge> merged, List<String> indexesRebuilt, List<String> removedTemp, long keptYoung, List<String> skipped,
                       long bytesFreed) {
    public GcReport {
        removedManifests = List.copyOf(removedManifests);
        removedPacks = List.copyOf(removedPacks);
        repacked = List.copyOf(repacked);
        merged = List.copyOf(merged);
        indexesRebuilt = List.copyOf(indexesRebuilt);
        removedTemp = List.copyOf(removedTemp);
        skipped = List.copyOf(skipped);
    }

    /** One pack rewritten: its live chunks went to {@code newPack} (null in a dry run). */
    public record Repack(String oldPack, String newPack, long liveChunks, long unusedBytes, long oldBytes) {
    }

    /**
     * Small packs merged into {@code newPack} (null in a dry run): it holds {@code liveChunks}
     * chunks; {@code oldBytes} is what the old packs and their indexes took.
     */
    public record Merge(List<String> oldPacks, String newPack, long liveChunks, long oldBytes) {
        public Merge {
            oldPacks = List.copyOf(oldPacks);
        }
    }
}
