package dev.mlv.core;

import dev.mlv.store.CheckReport;
import dev.mlv.store.ChunkStore;
import dev.mlv.store.Oid;
import dev.mlv.store.StoreRepair;
import dev.mlv.store.VerifyReport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code mlv fsck --repair} on the local store: check (rebuilding lost or damaged indexes from pack
 * footers), set damaged packs aside keeping their sound chunks, fetch what the damaged files still
 * lack from the default store remote, then check again from a fresh view of the store and rebuild
 * every fetched file end to end against its oid. Holds the store lock shared, as writers do, so gc
 * does not run meanwhile.
 */
final class FsckRepair {
    /**
     * The check after the repair, what was repaired, and for files still damaged why the repair
     * could not help.
     */
    record Outcome(CheckReport report, List<String> repaired, Map<Oid, String> unrepaired) {
    }

    private FsckRepair() {
    }

    static Outcome run(MlvRepository repo, List<Oid> oids, int readDataPercent) throws MlvException, IOException {
        repo.content().lockForWriting();
        CheckReport first = repo.content().store().check(oids, readDataPercent, true);
        List<String> repaired = new ArrayList<>(first.repaired());
        if (first.damagedPacks().isEmpty() && first.orphanIndexes().isEmpty() && first.damagedFiles().isEmpty()) {
            return new Outcome(first, repaired, Map.of());
        }
        StoreRemote remote = StoreRemote.pick(repo.config(), null);
        StoreRepair.Report done;
        if (remote == null) {
            done = new StoreRepair(repo.content().store(), null).run(first);
        } else {
            try (ContentRemote store = ContentRemote.open(repo, repo.config(), remote, null)) {
                done = store.repairLocal(first);
            }
        }
        repaired.addAll(done.repaired());
        ChunkStore fresh = repo.content().reopen();
        CheckReport after = fresh.check(oids, readDataPercent, false);
        Map<Oid, String> unrepaired = new LinkedHashMap<>(done.unrepaired());
        for (Oid oid : done.fetched()) {
            if (!after.damagedFiles().containsKey(oid) && fresh.has(oid)) {
                VerifyReport v = fresh.verify(oid);
                if (!v.ok()) {
                    unrepaired.put(oid, "fetched again but still not whole: " + v.problems().get(0).message());
                }
            }
        }
        return new Outcome(after, repaired, unrepaired);
    }
}
