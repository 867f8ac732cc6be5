package dev.mlv.store;

import dev.mlv.store.VerifyReport.Problem;
import java.util.List;
import java.util.Map;

/**
 * What {@link ChunkStore#check} found for a set of files: store-level damage (packs, indexes) and,
 * per file, the first reason it cannot be rebuilt. Lists instead of throwing, so one bad pack
 * does not hide the others.
 *
 * @param packs packs whose footer was read and compared with their index
 * @param packsRead packs whose chunks were all re-hashed (data reading)
 * @param chunksRead chunks re-hashed
 * @param files files checked (manifest decoded, every chunk located in a sound pack)
 * @param problems damaged or missing store objects
 * @param damagedFiles files that cannot be rebuilt, each with the reason
 * @param warnings harmless leftovers (a crashed writer's unindexed, unreferenced pack)
 * @param repaired what a repair rewrote (indexes rebuilt from their pack's footer)
 * @param damagedPacks packs that must not be trusted: footer damaged, or a chunk that fails its hash
 * @param orphanIndexes indexes whose pack is missing
 */
public record CheckReport(long packs, long packsRead, long chunksRead, long files, List<Problem> problems,
                          Map<Oid, String> damagedFiles, List<Problem> warnings, List<String> repaired,
                          List<String> damagedPacks, List<String> orphanIndexes) {
    public CheckReport {
        damagedPacks = List.copyOf(damagedPacks);
        orphanIndexes = List.copyOf(orphanIndexes);
        problems = List.copyOf(problems);
        damagedFiles = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(damagedFiles));
        warnings = List.copyOf(warnings);
        repaired = List.copyOf(repaired);
    }

    public boolean ok() {
        return problems.isEmpty() && damagedFiles.isEmpty();
    }
}
