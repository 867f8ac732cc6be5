package dev.mlv.core.experiment;

import dev.mlv.core.ErrorKind;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.ab.AbTest;
import dev.mlv.core.ab.internal.AbTests;
import dev.mlv.core.internal.Branches;
import dev.mlv.core.internal.Revisions;
import dev.mlv.core.promotion.internal.Promotions;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * {@code mlv exp rm NAME... | --merged [INTO] | --older-than D}: deletes experiment branches so
 * that their content can be collected now, not once reflogs expire: the branch's own reflog goes
 * with it, and HEAD's reflog loses the entries for commits that only the deleted branches reached
 * (as {@code git reflog expire --expire-unreachable=now} would), so {@code mlv gc} no longer
 * counts them as roots. Commits another ref still reaches (a merge, a tag, a remote-tracking ref)
 * stay, with their content.
 *
 * <p>Refused: the checked-out branch, always; an environment, a branch with promotion tags, or an
 * arm of a running A/B test unless forced. {@code --merged} and {@code --older-than} never pick
 * those: they are listed as kept, with the reason.
 */
public final class ExperimentRemove {
    private final MlvRepository repo;
    private List<String> names = List.of();
    private boolean merged;
    private String into;
    private Duration olderThan;
    private boolean force;
    private boolean dryRun;

    public ExperimentRemove(MlvRepository repo) {
        this.repo = repo;
    }

    /** The branches to delete, by name. */
    public ExperimentRemove setNames(List<String> names) {
        this.names = List.copyOf(names);
        return this;
    }

    /** Pick every branch merged into {@code into} (null: the checked-out branch). */
    public ExperimentRemove setMerged(boolean merged, String into) {
        this.merged = merged;
        this.into = into == null || into.isBlank() ? null : into;
        return this;
    }

    /** Pick (or, with {@link #setMerged}, keep only) branches whose tip commit is older than this. */
    public ExperimentRemove setOlderThan(Duration olderThan) {
        this.olderThan = olderThan;
        return this;
    }

    /** Delete environments, promoted-into branches and running A/B arms named explicitly. */
    public ExperimentRemove setForce(boolean force) {
        this.force = force;
        return this;
    }

    public ExperimentRemove setDryRun(boolean dryRun) {
        this.dryRun = dryRun;
        return this;
    }

    /** A deleted branch (in a dry run: one that would be) and the commit it pointed at. */
    public record Removed(String branch, String commit) {
    }

    /** A branch a selector matched but kept, and why. */
    public record Kept(String branch, String reason) {
    }

    /**
     * {@code commitsFreed}: commits no remaining ref reaches, whose content {@code mlv gc} may
     * collect (after its grace period); {@code reflogEntriesDropped}: HEAD reflog entries removed.
     */
    public record Result(boolean dryRun, List<Removed> removed, List<Kept> kept, int commitsFreed,
                         int reflogEntriesDropped) {
    }

    public Result call() throws MlvException {
        boolean selecting = merged || olderThan != null;
        if (selecting == !names.isEmpty()) {
            throw MlvException.usage(selecting ? "give branch names or --merged/--older-than, not both"
                    : "name the branches to remove, or pick them with --merged [INTO] or --older-than DURATION");
        }
        Repository git = repo.git();
        try (RevWalk walk = new RevWalk(git)) {
            String current = currentBranch(git);
            Map<String, String> protectedWhy = protectedBranches(git);
            Map<String, Ref> doomed = new LinkedHashMap<>();
            List<Kept> kept = new ArrayList<>();
            if (selecting) {
                select(git, walk, current, protectedWhy, doomed, kept);
            } else {
                List<String> refused = new ArrayList<>();
                for (String name : new LinkedHashSet<>(names)) {
                    Branches.checkName(name);
                    Ref ref = git.exactRef(Branches.refName(name));
                    if (ref == null) {
                        throw MlvException.notFound("branch '" + name + "' not found; nothing was removed; list branches with"
                                + " 'mlv exp list'");
                    }
                    if (name.equals(current)) {
                        refused.add(name + " (checked out; switch to another branch first)");
                    } else if (protectedWhy.containsKey(name) && !force) {
                        refused.add(name + " (" + protectedWhy.get(name) + "; --force removes it anyway)");
                    } else {
                        doomed.put(name, ref);
                    }
                }
                if (!refused.isEmpty()) {
                    throw new MlvException(ErrorKind.CONFLICT, "refused to remove " + String.join(", ", refused)
                            + "; nothing was removed");
                }
            }
            Set<ObjectId> freed = onlyReachedBy(git, walk, doomed);
            List<Removed> removed = doomed.values().stream()
                    .map(r -> new Removed(r.getName().substring(Constants.R_HEADS.length()), r.getObjectId().name())).toList();
            int dropped = dryRun ? HeadReflog.count(git, freed) : delete(git, doomed, freed);
            return new Result(dryRun, removed, List.copyOf(kept), freed.size(), dropped);
        } catch (IOException e) {
            throw new MlvException("cannot remove experiments: " + e.getMessage(), e);
        }
    }

    private static String currentBranch(Repository git) throws IOException {
        String full = git.getFullBranch();
        return full != null && full.startsWith(Constants.R_HEADS) ? full.substring(Constants.R_HEADS.length()) : null;
    }

    /** Branches that environments, promotions or running A/B tests still need, with the reason. */
    private Map<String, String> protectedBranches(Repository git) throws MlvException, IOException {
        Map<String, String> why = new LinkedHashMap<>();
        for (String env : repo.config().environments()) {
            why.put(env, "an environment");
        }
        for (Ref tag : git.getRefDatabase().getRefsByPrefix(Promotions.PREFIX)) {
            String rest = tag.getName().substring(Promotions.PREFIX.length());
            int slash = rest.lastIndexOf('/');
            if (slash > 0) {
                why.putIfAbsent(rest.substring(0, slash), "promoted into (promote/" + rest.substring(0, slash) + "/*)");
            }
        }
        for (AbTests.Stored s : AbTests.all(git)) {
            if (AbTest.RUNNING.equals(s.test().status())) {
                for (AbTest.Arm arm : s.test().arms()) {
                    why.putIfAbsent(arm.branch(), "arm " + arm.name() + " of running A/B test " + s.test().name());
                }
            }
        }
        return why;
    }

    private void select(Repository git, RevWalk walk, String current, Map<String, String> protectedWhy,
                        Map<String, Ref> doomed, List<Kept> kept) throws MlvException, IOException {
        RevCommit target = null;
        String targetName = null;
        if (merged) {
            if (into == null && current == null) {
                throw MlvException.usage("HEAD is detached; say which branch: --merged INTO");
            }
            targetName = into != null ? into : current;
            target = Revisions.commit(git, walk, targetName);
        }
        Instant cutoff = olderThan == null ? null : repo.session().clock().instant().minus(olderThan);
        for (Ref ref : git.getRefDatabase().getRefsByPrefix(Constants.R_HEADS)) {
            String name = ref.getName().substring(Constants.R_HEADS.length());
            RevCommit tip = walk.parseCommit(ref.getObjectId());
            if (name.equals(targetName)) {
                continue;
            }
            if (target != null && !walk.isMergedInto(tip, target)) {
                continue;
            }
            if (cutoff != null && !tip.getCommitterIdent().getWhenAsInstant().isBefore(cutoff)) {
                continue;
            }
            if (name.equals(current)) {
                kept.add(new Kept(name, "checked out"));
            } else if (protectedWhy.containsKey(name)) {
                kept.add(new Kept(name, protectedWhy.get(name)));
            } else {
                doomed.put(name, ref);
            }
        }
    }

    /** The commits the doomed branches reach and no other ref does. */
    private static Set<ObjectId> onlyReachedBy(Repository git, RevWalk walk, Map<String, Ref> doomed) throws IOException {
        Set<ObjectId> only = new HashSet<>();
        if (doomed.isEmpty()) {
            return only;
        }
        walk.reset();
        for (Ref ref : doomed.values()) {
            walk.markStart(walk.parseCommit(ref.getObjectId()));
        }
        Set<String> doomedNames = new HashSet<>();
        doomed.values().forEach(r -> doomedNames.add(r.getName()));
        List<Ref> others = new ArrayList<>(git.getRefDatabase().getRefs());
        Ref head = git.exactRef(Constants.HEAD);
        if (head != null) {
            others.add(head);
        }
        for (Ref ref : others) {
            if (ref.getObjectId() == null || doomedNames.contains(ref.getTarget().getName())) {
                continue;
            }
            try {
                RevObject o = walk.peel(walk.parseAny(ref.getObjectId()));
                if (o instanceof RevCommit c) {
                    walk.markUninteresting(c);
                }
            } catch (MissingObjectException | IncorrectObjectTypeException e) {
                // a ref to an object we do not have reaches nothing here
            }
        }
        for (RevCommit c = walk.next(); c != null; c = walk.next()) {
            only.add(c.copy());
        }
        return only;
    }

    /** Deletes the branches (compare-and-swap) and HEAD's reflog entries for the freed commits, under HEAD's lock. */
    private static int delete(Repository git, Map<String, Ref> doomed, Set<ObjectId> freed) throws MlvException, IOException {
        try (HeadReflog.Lock lock = HeadReflog.lock(git)) {
            for (Ref ref : doomed.values()) {
                RefUpdate update = git.updateRef(ref.getName());
                update.setExpectedOldObjectId(ref.getObjectId());
                update.setForceUpdate(true);
                RefUpdate.Result result = update.delete();
                if (result != RefUpdate.Result.FORCED && result != RefUpdate.Result.NO_CHANGE) {
                    throw new MlvException(result == RefUpdate.Result.LOCK_FAILURE ? ErrorKind.CONFLICT : ErrorKind.ERROR,
                            ref.getName().substring(Constants.R_HEADS.length()) + " changed while exp rm ran (" + result
                                    + "); it was kept; run it again");
                }
                HeadReflog.deleteBranchLog(git, ref.getName());
            }
            return lock.drop(freed);
        }
    }
}
