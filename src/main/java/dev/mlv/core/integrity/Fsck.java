package dev.mlv.core.integrity;

import dev.mlv.core.ErrorKind;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.StoreRemote;
import dev.mlv.core.internal.ContentRemote;
import dev.mlv.core.internal.LfsHooks;
import dev.mlv.core.remote.Clone;
import dev.mlv.core.remote.GitRemotes;
import dev.mlv.store.CheckReport;
import dev.mlv.store.Oid;
import dev.mlv.store.backend.Backend;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;

/**
 * {@code mlv fsck}: every pointer reachable from the branches and tags (with {@link #setAllRefs}
 * also remote-tracking refs, the stash, every reflog entry and the index) has its manifest and
 * all its chunks in sound, indexed packs; pack indexes agree with pack footers; with data reading
 * every chunk (or a deterministic share of the packs) is re-hashed. Problems name the object, and
 * the {@code branch:path} of the files that need it. {@link #setRepair} rebuilds lost or damaged
 * indexes from pack footers, sets damaged packs aside and fetches lost content from the store
 * remote ({@link FsckRepair}). {@link #setRemote} checks a store remote instead: what the Git
 * remote of the same name has now (its branches and tags) must be whole there; with repair,
 * what it lacks is uploaded again from the local store ({@link FsckRemoteRepair}).
 */
public final class Fsck {
    /** How many {@code branch:path} places a problem lists. */
    private static final int AFFECTS_LIMIT = 10;

    private final MlvRepository repo;
    private boolean allRefs;
    private int readDataPercent;
    private boolean repair;
    private boolean remoteSet;
    private String remote;
    private boolean requireAll;

    public Fsck(MlvRepository repo) {
        this.repo = repo;
    }

    /** Also check what remote-tracking refs, the stash, reflogs and the index reach. */
    public Fsck setAllRefs(boolean allRefs) {
        this.allRefs = allRefs;
        return this;
    }

    /**
     * Count a file version that was never downloaded (a lazy clone fetches history on demand) as
     * a problem, as in a store that must hold everything; by default it is reported apart, as
     * {@code notDownloaded}, and is not damage.
     */
    public Fsck setRequireAll(boolean requireAll) {
        this.requireAll = requireAll;
        return this;
    }

    /** Re-hash the chunks of this share of the packs: 0 none, 100 all. */
    public Fsck setReadDataPercent(int percent) throws MlvException {
        if (percent < 0 || percent > 100) {
            throw MlvException.usage("--read-data-subset takes a percentage from 1 to 100, got " + percent);
        }
        this.readDataPercent = percent;
        return this;
    }

    /**
     * Repair before the final check. The local store: rebuild lost or damaged indexes from their
     * packs' footers, set damaged packs aside, fetch lost content from the default store remote.
     * With {@link #setRemote}, the store remote: upload again from the local store what it lacks.
     */
    public Fsck setRepair(boolean repair) {
        this.repair = repair;
        return this;
    }

    /**
     * Check the store remote {@code name} ({@code ""} or null: the default one) instead of the
     * local store. Roots: the refs of the Git remote of the same name as it has them now (without
     * such a Git remote, the local branches and tags); {@link #setAllRefs} adds every local root.
     */
    public Fsck setRemote(String name) {
        this.remote = name == null || name.isEmpty() ? null : name;
        this.remoteSet = true;
        return this;
    }

    /** One problem: the object concerned, what is wrong, and the files it breaks. */
    public record Problem(String object, String message, List<String> affects) {
    }

    /**
     * What fsck checked and found; any problem makes the command exit 6. {@code storeRemote}
     * names the store remote checked, null for the local store.
     */
    public record Result(String storeRemote, int roots, long pointers, long files, long packs, long packsRead,
                         long chunksRead, List<Problem> problems, List<String> warnings, List<String> repaired,
                         long notDownloaded) {
        @com.fasterxml.jackson.annotation.JsonProperty("ok")
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    public Result call() throws MlvException {
        var git = repo.git();
        List<String> warnings = new ArrayList<>();
        StoreRemote target = remoteSet ? storeRemote() : null;
        try (ObjectReader reader = git.newObjectReader()) {
            String lfsHooks = LfsHooks.warning(repo.commonDir());
            if (lfsHooks != null) {
                warnings.add(lfsHooks);
            }
            List<Reachability.Root> roots = roots(target, warnings);
            Reachability.Found found;
            try {
                found = Reachability.find(git, reader, roots, allRefs);
            } catch (MissingObjectException e) {
                throw MlvException.integrity("Git object " + e.getObjectId().name() + " is missing from the repository,"
                        + " so not every pointer could be found; run 'git fsck' and restore it from a clone", e);
            }
            Map<Oid, List<ObjectId>> blobsByOid = new HashMap<>();
            Map<Oid, Set<Long>> sizes = new HashMap<>();
            for (var e : found.pointers().entrySet()) {
                Oid oid = e.getValue().pointer().oid();
                blobsByOid.computeIfAbsent(oid, k -> new ArrayList<>()).add(e.getKey());
                sizes.computeIfAbsent(oid, k -> new LinkedHashSet<>()).add(e.getValue().pointer().size());
            }
            List<Oid> oids = new ArrayList<>(blobsByOid.keySet());
            oids.sort(null);

            CheckReport report;
            List<Oid> notDownloaded = new ArrayList<>();
            List<String> repaired = List.of();
            Map<Oid, String> damaged = new LinkedHashMap<>();
            if (target != null && repair) {
                FsckRemoteRepair.Outcome outcome = FsckRemoteRepair.run(repo, target, oids, readDataPercent);
                report = outcome.report();
                repaired = outcome.repaired();
                damaged.putAll(report.damagedFiles());
                outcome.unrepaired().forEach((oid, why) -> damaged.merge(oid, why, (a, b) -> a + "; " + b));
            } else if (target != null) {
                try (ContentRemote store = ContentRemote.open(repo, repo.config(), target, null)) {
                    report = store.check(oids, readDataPercent);
                }
                damaged.putAll(report.damagedFiles());
            } else if (repair) {
                FsckRepair.Outcome outcome = FsckRepair.run(repo, oids, readDataPercent);
                report = outcome.report();
                repaired = outcome.repaired();
                damaged.putAll(report.damagedFiles());
                outcome.unrepaired().forEach((oid, why) -> damaged.merge(oid, why, (a, b) -> a + "; " + b));
            } else {
                boolean partial = git.getConfig().getBoolean(Clone.PARTIAL_SECTION, Clone.PARTIAL_KEY, false);
                if (partial && !requireAll) {
                    // a clone's store is partial: no manifest here means never downloaded, not damaged
                    for (Oid oid : oids) {
                        if (!repo.content().has(oid)) {
                            notDownloaded.add(oid);
                        }
                    }
                    oids.removeAll(notDownloaded);
                }
                report = repo.content().store().check(oids, readDataPercent, false);
                damaged.putAll(report.damagedFiles());
            }
            if (target == null) {
                checkClaimedSizes(oids, sizes, damaged);
            }
            if (!notDownloaded.isEmpty()) {
                warnings.add(notDownloaded.size() + " file version(s) that history reaches are not downloaded (a lazy"
                        + " clone fetches them when a command needs them; 'mlv fetch --content' gets them now;"
                        + " 'mlv fsck --all' counts them as problems); not damage");
            }

            Set<ObjectId> badBlobs = new HashSet<>();
            damaged.keySet().forEach(oid -> badBlobs.addAll(blobsByOid.get(oid)));
            Map<ObjectId, List<String>> where = badBlobs.isEmpty() ? Map.of()
                    : Reachability.locate(git, reader, roots, badBlobs, AFFECTS_LIMIT);

            List<Problem> problems = new ArrayList<>();
            report.problems().forEach(p -> problems.add(new Problem(p.object(), p.message(), List.of())));
            for (var e : damaged.entrySet()) {
                Set<String> affects = new LinkedHashSet<>();
                for (ObjectId blob : blobsByOid.get(e.getKey())) {
                    affects.addAll(where.getOrDefault(blob, List.of()));
                    if (affects.isEmpty()) {
                        affects.add("index:" + found.pointers().get(blob).path());
                    }
                }
                problems.add(new Problem("sha256:" + e.getKey().hex(), e.getValue(),
                        affects.stream().limit(AFFECTS_LIMIT).toList()));
            }
            report.warnings().forEach(w -> warnings.add(w.toString()));
            warnings.addAll(target == null ? Leftovers.find(repo) : remoteLeftovers(target));
            for (Reachability.NearPointer n : found.nearPointers()) {
                warnings.add(n.path() + " (blob " + n.blob().abbreviate(12).name() + ") looks like a pointer but is not"
                        + " a valid one; mlv reads it as raw bytes");
            }
            return new Result(target == null ? null : target.name(), roots.size(), found.pointers().size(), oids.size(),
                    report.packs(), report.packsRead(), report.chunksRead(), problems, warnings, repaired,
                    notDownloaded.size());
        } catch (IOException e) {
            throw new MlvException("cannot check the repository: " + e.getMessage(), e);
        }
    }

    private StoreRemote storeRemote() throws MlvException {
        StoreRemote target = StoreRemote.pick(repo.config(), remote);
        if (target == null || remote != null && !remote.equals(target.name())) {
            throw MlvException.notFound((remote == null ? "no store remote is configured" : "no store remote named '"
                    + remote + "'") + "; list them with 'mlv store remote show'");
        }
        return target;
    }

    /**
     * The local roots, or for a store remote what the Git remote of its name has now (plus, with
     * --all-refs, every local root).
     */
    private List<Reachability.Root> roots(StoreRemote target, List<String> warnings) throws MlvException, IOException {
        var git = repo.git();
        if (target == null) {
            return Reachability.roots(git, allRefs ? Reachability.Scope.EVERYTHING : Reachability.Scope.BRANCHES_AND_TAGS);
        }
        List<Reachability.Root> roots = new ArrayList<>();
        if (new GitRemotes(repo).find(target.name()) != null) {
            RemoteRoots.Found remoteRefs = RemoteRoots.of(repo, target.name());
            roots.addAll(remoteRefs.roots());
            if (!remoteRefs.notHere().isEmpty()) {
                warnings.add(remoteRefs.notHere().size() + " ref(s) of Git remote '" + target.name() + "' point at commits"
                        + " this clone does not have (" + String.join(", ", remoteRefs.notHere().stream().limit(5).toList())
                        + "); run 'mlv fetch " + target.name() + "' and check again to cover them");
            }
        } else {
            warnings.add("no Git remote named '" + target.name() + "': checked what the local branches and tags reach");
            roots.addAll(Reachability.roots(git, Reachability.Scope.BRANCHES_AND_TAGS));
        }
        if (allRefs) {
            roots.addAll(Reachability.roots(git, Reachability.Scope.EVERYTHING));
        }
        return roots;
    }

    /** Unfinished writes on the store remote: a killed push's temp files or incomplete S3 uploads. */
    private List<String> remoteLeftovers(StoreRemote target) throws MlvException {
        List<String> found = new ArrayList<>();
        try (ContentRemote store = ContentRemote.open(repo, repo.config(), target, null)) {
            for (Backend.IncompleteWrite w : store.incompleteWrites()) {
                found.add(w.describe() + ": unfinished write on store remote '" + target.name() + "' (" + w.size()
                        + " bytes, " + w.started().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "); 'mlv gc"
                        + " --remote' removes it once it is older than the grace period");
            }
        } catch (MlvException e) {
            if (e.kind() != ErrorKind.REMOTE_UNREACHABLE) {
                throw e;
            }
            // the check above reached the remote: refused permission to list uploads, most likely
            found.add("unfinished writes on store remote '" + target.name() + "' were not listed: " + e.getMessage());
        }
        return found;
    }

    /** A pointer claiming a size other than the stored content's is damage too. */
    private void checkClaimedSizes(List<Oid> oids, Map<Oid, Set<Long>> sizes, Map<Oid, String> damaged)
            throws IOException {
        for (Oid oid : oids) {
            if (!damaged.containsKey(oid) && repo.content().store().has(oid)) {
                long stored = repo.content().store().manifest(oid).size();
                for (long claimed : sizes.get(oid)) {
                    if (claimed != stored) {
                        damaged.put(oid, "a pointer claims " + claimed + " bytes but the stored content has " + stored);
                    }
                }
            }
        }
    }
}
