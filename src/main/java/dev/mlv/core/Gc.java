package dev.mlv.core;

import dev.mlv.store.GcReport;
import dev.mlv.store.LockBusyException;
import dev.mlv.store.Oid;
import dev.mlv.store.StoreLock;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.ObjectReader;

/**
 * {@code mlv gc}: removes store content nothing can reach any more. Marks every pointer reachable
 * from all refs (branches, tags, remote-tracking refs, stash, notes), every reflog entry and the
 * index; content of a running train-commit is protected by the store lock (writers hold it shared
 * from their first put until they have committed; gc takes it exclusively) and, for writers that
 * do not lock, by the grace period: nothing younger is removed. Work-tree files that were never
 * staged are not in the store at all, so there is nothing of theirs to keep.
 */
public final class Gc {
    private final MlvRepository repo;
    private boolean dryRun;
    private Duration grace = Duration.ofHours(24);
    private double maxUnusedPercent = 5;
    private Duration wait = Duration.ofSeconds(10);

    public Gc(MlvRepository repo) {
        this.repo = repo;
    }

    /** Report what would be removed without removing anything. */
    public Gc setDryRun(boolean dryRun) {
        this.dryRun = dryRun;
        return this;
    }

    /** Keep anything younger than this (default 24 h; zero allowed). */
    public Gc setGrace(Duration grace) throws MlvException {
        if (grace.isNegative()) {
            throw MlvException.usage("--grace cannot be negative");
        }
        this.grace = grace;
        return this;
    }

    /** Rewrite packs whose unused share is above this percentage (default 5). */
    public Gc setMaxUnusedPercent(double percent) throws MlvException {
        if (!(percent >= 0 && percent <= 100)) {
            throw MlvException.usage("--max-unused takes a percentage from 0 to 100, got " + percent);
        }
        this.maxUnusedPercent = percent;
        return this;
    }

    /** How long to wait for writers to release the store lock (default 10 s). */
    public Gc setWait(Duration wait) {
        this.wait = wait;
        return this;
    }

    /** One pack rewritten without its unused chunks ({@code newPack} null in a dry run). */
    public record Repack(String oldPack, String newPack, long liveChunks, long unusedBytes, long oldBytes) {
    }

    /** What gc removed (in a dry run: would remove), as store keys, and the bytes that frees. */
    public record Result(boolean dryRun, long reachableFiles, List<String> removedManifests, List<String> removedPacks,
                         List<Repack> repacked, List<String> indexesRebuilt, List<String> removedTemp, long keptYoung,
                         List<String> skipped, long bytesFreed) {
    }

    public Result call() throws MlvException {
        var git = repo.git();
        try (StoreLock lock = StoreLock.acquire(repo.content().lockFile(), StoreLock.Mode.EXCLUSIVE, wait, "gc");
             ObjectReader reader = git.newObjectReader()) {
            Reachability.Found found;
            try {
                found = Reachability.find(git, reader, Reachability.roots(git, Reachability.Scope.EVERYTHING), true);
            } catch (MissingObjectException e) {
                throw new MlvException("gc stopped before deleting anything: Git object " + e.getObjectId().name()
                        + " is missing, so what is still needed cannot be known; run 'git fsck' and 'mlv fsck --all-refs'", e);
            }
            Set<Oid> live = new HashSet<>();
            found.pointers().values().forEach(u -> live.add(u.pointer().oid()));
            GcReport report = repo.content().store().gc(live, repo.session().clock().instant().minus(grace),
                    maxUnusedPercent / 100, dryRun);
            return new Result(report.dryRun(), live.size(), report.removedManifests(), report.removedPacks(),
                    report.repacked().stream().map(p -> new Repack(p.oldPack(), p.newPack(), p.liveChunks(),
                            p.unusedBytes(), p.oldBytes())).toList(), report.indexesRebuilt(), report.removedTemp(),
                    report.keptYoung(), report.skipped(), report.bytesFreed());
        } catch (LockBusyException e) {
            throw new MlvException(e.getMessage() + "; wait for them to finish, or run 'mlv gc --wait 10m'", e);
        } catch (IOException e) {
            throw new MlvException("gc failed: " + e.getMessage() + "; nothing it had not finished was removed", e);
        }
    }
}
