package dev.mlv.core.integrity;

import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.StoreRemote;
import dev.mlv.core.internal.ContentRemote;
import dev.mlv.store.CheckReport;
import dev.mlv.store.ChunkStore;
import dev.mlv.store.Oid;
import dev.mlv.store.StoreRepair;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code mlv fsck --repair} on the local store: check (rebuilding lost or damaged indexes from pack
 * footers), set damaged packs aside keeping their sound chunks, fetch what the damaged files still
 * lack from the default store remote (each fetched file is rebuilt and hashed against its oid
 * before its manifest is trusted), then check again from a fresh view of the store. Holds the
 * store lock shared, as writers do, so gc does not run meanwhile.
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
        return new Outcome(after, repaired, done.unrepaired());
    }
}
