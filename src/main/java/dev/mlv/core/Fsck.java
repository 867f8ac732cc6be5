package dev.mlv.core;

import dev.mlv.store.CheckReport;
import dev.mlv.store.Oid;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
 * the {@code branch:path} of the files that need it. {@code --repair} rebuilds lost or damaged
 * indexes from pack footers; re-fetching lost data from a remote is the remotes' job (a later
 * repair source plugs in where {@link #call()} runs the store check).
 */
public final class Fsck {
    /** How many {@code branch:path} places a problem lists. */
    private static final int AFFECTS_LIMIT = 10;

    private final MlvRepository repo;
    private boolean allRefs;
    private int readDataPercent;
    private boolean repair;

    public Fsck(MlvRepository repo) {
        this.repo = repo;
    }

    /** Also check what remote-tracking refs, the stash, reflogs and the index reach. */
    public Fsck setAllRefs(boolean allRefs) {
        this.allRefs = allRefs;
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

    /** Rebuild lost or damaged pack indexes from their packs' footers before checking. */
    public Fsck setRepair(boolean repair) {
        this.repair = repair;
        return this;
    }

    /** One problem: the object concerned, what is wrong, and the files it breaks. */
    public record Problem(String object, String message, List<String> affects) {
    }

    /** What fsck checked and found; any problem makes the command exit 6. */
    public record Result(int roots, long pointers, long files, long packs, long packsRead, long chunksRead,
                         List<Problem> problems, List<String> warnings, List<String> repaired) {
        @com.fasterxml.jackson.annotation.JsonProperty("ok")
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    public Result call() throws MlvException {
        var git = repo.git();
        try (ObjectReader reader = git.newObjectReader()) {
            List<Reachability.Root> roots = Reachability.roots(git,
                    allRefs ? Reachability.Scope.EVERYTHING : Reachability.Scope.BRANCHES_AND_TAGS);
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
            CheckReport report = repo.content().store().check(oids, readDataPercent, repair);

            Map<Oid, String> damaged = new java.util.LinkedHashMap<>(report.damagedFiles());
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
            List<String> warnings = new ArrayList<>();
            report.warnings().forEach(w -> warnings.add(w.toString()));
            for (Reachability.NearPointer n : found.nearPointers()) {
                warnings.add(n.path() + " (blob " + n.blob().abbreviate(12).name() + ") looks like a pointer but is not"
                        + " a valid one; mlv reads it as raw bytes");
            }
            return new Result(roots.size(), found.pointers().size(), oids.size(), report.packs(), report.packsRead(),
                    report.chunksRead(), problems, warnings, report.repaired());
        } catch (IOException e) {
            throw new MlvException("cannot check the repository: " + e.getMessage(), e);
        }
    }
}
