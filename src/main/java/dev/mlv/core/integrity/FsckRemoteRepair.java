package dev.mlv.core.integrity;

import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.StoreRemote;
import dev.mlv.core.Transfer;
import dev.mlv.core.internal.ContentRemote;
import dev.mlv.store.CheckReport;
import dev.mlv.store.Oid;
import dev.mlv.store.RemoteLock;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code mlv fsck --remote --repair}: makes what the Git remote's refs reach whole on the store
 * remote again, from this clone's local store. Indexes whose pack is missing are deleted (they
 * would make those chunks look present), then every damaged file that the local store has whole is
 * uploaded again (missing chunks in new packs, then its manifest), and the store remote is checked
 * again. A pack on the store remote with corrupt chunks is not rewritten: its chunks still look
 * present, so the files needing them stay reported, with what to do.
 */
final class FsckRemoteRepair {
    /** The check after the repair, what was repaired, and why files still damaged could not be. */
    record Outcome(CheckReport report, List<String> repaired, Map<Oid, String> unrepaired) {
    }

    /** How long a repair waits for a running {@code gc --remote} to finish. */
    private static final java.time.Duration REPAIR_WAIT = java.time.Duration.ofMinutes(10);

    private FsckRemoteRepair() {
    }

    static Outcome run(MlvRepository repo, StoreRemote target, List<Oid> oids, int readDataPercent)
            throws MlvException, IOException {
        List<String> repaired = new ArrayList<>();
        CheckReport first;
        try (ContentRemote store = ContentRemote.open(repo, repo.config(), target, null)) {
            first = store.check(oids, readDataPercent);
            if (first.ok()) {
                return new Outcome(first, repaired, Map.of());
            }
            store.dropIndexes(first.orphanIndexes());
            first.orphanIndexes().forEach(k -> repaired.add(k + ": removed from the store remote (its pack is missing,"
                    + " so it named chunks that are nowhere)"));
        }
        Map<Oid, String> unrepaired = new LinkedHashMap<>();
        List<Oid> candidates = new ArrayList<>(first.damagedFiles().keySet());
        Set<Oid> resend = new LinkedHashSet<>();
        if (!candidates.isEmpty()) {
            CheckReport local = repo.content().store().check(candidates, 0, false);
            for (Oid oid : candidates) {
                if (local.damagedFiles().containsKey(oid)) {
                    unrepaired.put(oid, "this clone's local store cannot rebuild it either ("
                            + local.damagedFiles().get(oid) + "); run 'mlv fsck --remote --repair' in a clone that has it");
                } else {
                    resend.add(oid);
                }
            }
        }
        // A fresh view of the remote: the dropped indexes must not count as chunks present. The
        // upload relies on chunks the remote has, as a push does: under the lock, so no gc --remote
        // removes them meanwhile.
        try (ContentRemote store = ContentRemote.open(repo, repo.config(), target, null);
             RemoteLock lock = resend.isEmpty() ? null : store.lock(RemoteLock.Kind.SHARED, "fsck --remote --repair",
                     REPAIR_WAIT, "gc --remote is collecting it: repair again when it has finished")) {
            if (!resend.isEmpty()) {
                Transfer t = store.resend(resend);
                resend.forEach(oid -> repaired.add("sha256:" + oid.hex() + ": uploaded again from the local store"));
                repaired.add(t.chunks() + " chunks (" + t.bytes() + " bytes) uploaded to store remote '" + target.name()
                        + "' in " + t.packs() + " new pack(s), each checked against its id on the way");
            }
            CheckReport after = store.check(oids, readDataPercent);
            for (Oid oid : after.damagedFiles().keySet()) {
                if (resend.contains(oid)) {
                    unrepaired.put(oid, "still damaged after uploading it again: a pack on the store remote with a"
                            + " corrupt chunk is not rewritten by a repair; delete that pack and its index from the store"
                            + " remote (if no other clone needs content only it holds), then run 'mlv fsck --remote"
                            + " --repair' again");
                }
            }
            return new Outcome(after, repaired, unrepaired);
        }
    }
}
