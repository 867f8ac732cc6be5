package dev.mlv.store;

import java.util.List;

/**
 * Result of checking a store (or one file). Problems are listed, not thrown, so one bad pack
 * does not hide the others.
 *
 * @param packs packs checked
 * @param chunks chunks re-hashed
 * @param files manifests checked
 * @param problems what is wrong; empty when the store is sound
 * @param warnings harmless leftovers, e.g. a pack whose index was never written because its
 *     writer was killed (unreferenced; {@link ChunkStore#rebuildIndexes()} or gc tidies them)
 */
public record VerifyReport(long packs, long chunks, long files, List<Problem> problems, List<Problem> warnings) {
    public VerifyReport {
        problems = List.copyOf(problems);
        warnings = List.copyOf(warnings);
    }

    public boolean ok() {
        return problems.isEmpty();
    }

    /** One problem: the object concerned (a key or id) and what is wrong with it. */
    public record Problem(String object, String message) {
        @Override
        public String toString() {
            return object + ": " + message;
        }
    }
}
