package dev.mlv.core.integrity;

import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.StoreRemote;
import dev.mlv.core.internal.ContentRemote;
import dev.mlv.core.remote.Fetch;
import dev.mlv.core.remote.GitRemotes;
import dev.mlv.store.CorruptContentException;
import dev.mlv.store.GcReport;
import dev.mlv.store.LockBusyException;
import dev.mlv.store.Oid;
import dev.mlv.store.RemoteLock;
import dev.mlv.store.StoreLock;
import dev.mlv.store.backend.Backend;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.ObjectReader;

/**
 * {@code mlv gc}: removes store content nothing can reach any more. Marks every pointer reachable
 * from all refs (branches, tags, remote-tracking refs, stash, notes), every reflog entry and the
 * index; content of a running train-commit is protected by the store lock (writers hold it shared
 * from their first put until they have committed; gc takes it exclusively) and, for writers that
 * do not lock, by the grace period: nothing younger is removed. Work-tree files that were never
 * staged are not in the store at all, so there is nothing of theirs to keep.
 *
 * <p>With {@link #setRemote} the sweep runs on a store remote instead. Other clones use that store
 * too, so the mark starts by fetching every Git remote: what their branches and tags reach, as the
 * Git host has them now, is kept, and so is everything remote-tracking refs still name (a branch
 * deleted on the host stays marked until its tracking ref is pruned). The fetch, the mark and the
 * sweep run under the store remote's exclusive lock, which pushes honour (they hold it shared from
 * before they decide what the store has until their refs are on the host), so no push reuses
 * content gc is about to delete (see {@code docs/reliability.md}, "gc of a store remote").
 */
public final class Gc {
    private final MlvRepository repo;
    private boolean dryRun;
    private Duration grace = Duration.ofHours(24);
    private double maxUnusedPercent = 5;
    private Duration wait = Duration.ofSeconds(10);
    private boolean remoteSet;
    private String remote;
    private UnaryOperator<Backend> backendWrapper;

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

    /** How long to wait for writers to release the store lock, or the store remote's lock (default 10 s). */
    public Gc setWait(Duration wait) {
        this.wait = wait;
        return this;
    }

    /**
     * Collect on this store remote instead of the local store ({@code ""} or null: the default
     * one, as push picks it; a name: that one).
     */
    public Gc setRemote(String remote) {
        this.remote = remote == null || remote.isEmpty() ? null : remote;
        this.remoteSet = true;
        return this;
    }

    /** Decorates the store remote's backend (tests pause gc there to force an interleaving with a push). */
    public Gc setBackendWrapper(UnaryOperator<Backend> wrapper) {
        this.backendWrapper = wrapper;
        return this;
    }

    /** One pack rewritten without its unused chunks ({@code newPack} null in a dry run). */
    public record Repack(String oldPack, String newPack, long liveChunks, long unusedBytes, long oldBytes) {
    }

    /** Small packs rewritten together into {@code newPack} ({@code null} in a dry run), live chunks only. */
    public record Merge(List<String> oldPacks, String newPack, long liveChunks, long oldBytes) {
    }

    /**
     * What gc removed (in a dry run: would remove), as store keys, and the bytes that frees.
     * {@code storeRemote} names the store remote collected (null: the local store) and
     * {@code fetched} the Git remotes fetched first to mark what they reach.
     */
    public record Result(boolean dryRun, String storeRemote, List<String> fetched, long reachableFiles,
                         List<String> removedManifests, List<String> removedPacks, List<Repack> repacked, List<Merge> merged, List<String> indexesRebuilt, List<String> removedTemp, long keptYoung,
                         List<String> skipped, long bytesFreed) {
    }

    public Result call() throws MlvException {
        if (remoteSet) {
            return collectRemote();
        }
        try (StoreLock lock = StoreLock.acquire(repo.content().lockFile(), StoreLock.Mode.EXCLUSIVE, wait, "gc")) {
            Set<Oid> live = mark();
            GcReport report = repo.content().store().gc(live, cutoff(), maxUnusedPercent / 100, dryRun);
            return result(null, List.of(), live, report);
        } catch (LockBusyException e) {
            throw new MlvException(e.getMessage() + "; wait for them to finish, or run 'mlv gc --wait 10m'", e);
        } catch (CorruptContentException e) {
            throw MlvException.integrity("gc failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new MlvException("gc failed: " + e.getMessage() + "; nothing it had not finished was removed", e);
        }
    }

    private Result collectRemote() throws MlvException {
        StoreRemote target = StoreRemote.pick(repo.config(), remote);
        if (target == null || remote != null && !remote.equals(target.name())) {
            throw MlvException.notFound((remote == null ? "no store remote is configured"
                    : "no store remote named '" + remote + "'") + "; list them with 'mlv store remote show'");
        }
        if (target.lfs()) {
            throw MlvException.usage("store remote '" + target.name() + "' is a Git LFS server (" + target.url() + "):"
                    + " gc --remote applies to chunked store remotes (a directory or S3) only; the LFS server manages"
                    + " its own storage");
        }
        try (ContentRemote store = ContentRemote.open(repo, repo.config(), target, backendWrapper);
             RemoteLock lock = dryRun ? null : store.lock(RemoteLock.Kind.EXCLUSIVE, "gc --remote", wait,
                     "pushes to it are under way: run 'mlv gc --remote' again when they are done, or wait longer"
                             + " with '--wait 10m'")) {
            // From here until gc is done no push decides what the store remote has, and every push
            // that finished before has its refs on the Git hosts: mark what they have now.
            List<String> fetched = new ArrayList<>();
            for (GitRemotes.Remote r : new GitRemotes(repo).list()) {
                Fetch.fetchRefs(repo, r.name());
                fetched.add(r.name());
            }
            Set<Oid> live = mark();
            GcReport report = store.gc(live, cutoff(), maxUnusedPercent / 100, dryRun, lock);
            return result(target.name(), fetched, live, report);
        }
    }

    /** Every pointer reachable from all refs, every reflog entry and the index. */
    private Set<Oid> mark() throws MlvException {
        var git = repo.git();
        try (ObjectReader reader = git.newObjectReader()) {
            Reachability.Found found;
            try {
                found = Reachability.find(git, reader, Reachability.roots(git, Reachability.Scope.EVERYTHING), true);
            } catch (MissingObjectException e) {
                throw new MlvException("gc stopped before deleting anything: Git object " + e.getObjectId().name()
                        + " is missing, so what is still needed cannot be known; run 'git fsck' and 'mlv fsck --all-refs'", e);
            }
            Set<Oid> live = new HashSet<>();
            found.pointers().values().forEach(u -> live.add(u.pointer().oid()));
            return live;
        } catch (IOException e) {
            throw new MlvException("gc stopped before deleting anything: cannot read the repository: " + e.getMessage(), e);
        }
    }

    private Instant cutoff() {
        return repo.session().clock().instant().minus(grace);
    }

    private static Result result(String storeRemote, List<String> fetched, Set<Oid> live, GcReport report) {
        return new Result(report.dryRun(), storeRemote, fetched, live.size(), report.removedManifests(),
                report.removedPacks(), report.repacked().stream().map(p -> new Repack(p.oldPack(), p.newPack(),
                        p.liveChunks(), p.unusedBytes(), p.oldBytes())).toList(), report.merged().stream().map(m -> new Merge(
                        m.oldPacks(), m.newPack(), m.liveChunks(), m.oldBytes())).toList(), report.indexesRebuilt(),
                report.removedTemp(), report.keptYoung(), report.skipped(), report.bytesFreed());
    }
}
