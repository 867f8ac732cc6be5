package dev.mlv.core.promotion;

import dev.mlv.core.ErrorKind;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.StoreRemote;
import dev.mlv.core.Transfer;
import dev.mlv.core.internal.Branches;
import dev.mlv.core.internal.Revisions;
import dev.mlv.core.promotion.internal.Promotions;
import dev.mlv.core.remote.Fetch;
import dev.mlv.core.remote.GitRemotes;
import dev.mlv.core.remote.Push;
import dev.mlv.core.workspace.internal.WorkTreeSync;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.jgit.lib.BranchConfig;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevWalk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code mlv promote SRC DST --push [REMOTE]}: a promotion into the Git remote's DST, for CI jobs
 * that race. Each attempt fetches, gates against the remote's DST (the commit it would replace),
 * merges in memory, writes the tag {@code promote/DST/N} with the next N the remote has free,
 * uploads the content, then pushes branch and tag as two leases (compare-and-swap) in one atomic
 * push. A lease lost to another promotion starts the next attempt from the fetch after a random
 * pause. Nothing local moves before the remote accepted: then the tracking ref, the tag and (when
 * it holds nothing the remote lacks) the local DST follow.
 */
final class PushedPromotion {
    private static final Logger LOG = LoggerFactory.getLogger(PushedPromotion.class);
    static final int DEFAULT_ATTEMPTS = 16;
    /** Full jitter: each pause is random in [0, min(CAP, BASE * 2^attempt)) ms. */
    private static final long BASE_MILLIS = 40;
    private static final long CAP_MILLIS = 2_000;
    /** Refusals in a row while nothing moved on the remote: a rule (a hook, a protected branch), not a race; stop. */
    private static final int REFUSALS = 3;

    private final Promote promote;
    private final MlvRepository repo;
    private final String remoteArg;
    private final int maxAttempts;

    PushedPromotion(Promote promote, MlvRepository repo, String remote, int maxAttempts) {
        this.promote = promote;
        this.repo = repo;
        this.remoteArg = remote;
        this.maxAttempts = maxAttempts;
    }

    Promote.Result call(String src, String dst) throws MlvException {
        Repository git = repo.git();
        String dstRef = Branches.refName(dst);
        String remote = remoteName(dst);
        if (new GitRemotes(repo).find(remote) == null) {
            throw MlvException.notFound("no Git remote named '" + remote + "'; add one with 'mlv remote add " + remote
                    + " URL'; nothing was changed");
        }
        try {
            WorkTreeSync sync = WorkTreeSync.ifCheckedOut(repo, dstRef);
            sync.refuseIfDirty("promote into");
            ObjectId sourceId = null;
            Transfer sent = Transfer.NONE;
            String lastSeen = null;
            String refusal = null;
            int refusals = 0;
            for (int attempt = 1; attempt <= maxAttempts; attempt++) {
                Map<String, String> remoteRefs = Fetch.fetchAdvertised(repo, remote);
                String seen = promotionState(remoteRefs, dst);
                refusals = refusal != null && seen.equals(lastSeen) ? refusals + 1 : 0;
                if (refusals >= REFUSALS) {
                    throw new MlvException("the Git remote '" + remote + "' refused the promotion of " + src + " into "
                            + dst + " (" + refusal + ") while nothing else moved there: not a race; fix what it reports;"
                            + " nothing was changed there");
                }
                lastSeen = seen;
                try (RevWalk walk = new RevWalk(git); ObjectInserter inserter = git.newObjectInserter()) {
                    // SRC is resolved once, after the first fetch (it may name a tracking ref), and held
                    RevCommit source = sourceId == null ? Revisions.commit(git, walk, src) : walk.parseCommit(sourceId);
                    sourceId = source.copy();
                    String remoteId = remoteRefs.get(dstRef);
                    if (remoteId == null && !promote.create()) {
                        throw MlvException.notFound("the Git remote '" + remote + "' has no branch '" + dst + "'; create it with"
                                + " 'mlv promote " + src + " " + dst + " --push " + remote + " --create'; nothing was changed");
                    }
                    RevCommit previous = remoteId == null ? null : walk.parseCommit(ObjectId.fromString(remoteId));
                    Promote.Plan plan = promote.plan(walk, inserter, src, dst, source, previous);
                    if (plan.result().isPresent()) {
                        return plan.result().get().withPush(new Promote.Pushed(remote, attempt, "unchanged", List.of(), sent), false);
                    }
                    // A checked-out DST that will follow needs the new tree's content here: fetched
                    // (or refused) now, before the remote changes.
                    Ref local = git.exactRef(dstRef);
                    RevCommit localTip = local == null ? null : walk.parseCommit(local.getObjectId());
                    if (localTip != null && isAncestor(walk, localTip, plan.commit())) {
                        sync.checkContent(walk.getObjectReader(), localTip.getTree(), plan.tree());
                    }
                    int n = Promotions.nextNumber(remoteRefs.keySet(), dst);
                    ObjectId tagId = Promotions.writeTag(git, dst, n, plan.commit(), Promote.summary(src, dst, source),
                            promote.record(plan, src, dst), promote.identity());
                    String tagRef = Constants.R_TAGS + Promotions.tagName(dst, n);
                    Push.Result pushed = new Push(repo).setRemote(remote).setLeases(List.of(
                            new Push.Lease(dstRef, plan.commit().name(), remoteId),
                            new Push.Lease(tagRef, tagId.name(), null))).call();
                    sent = sent.plus(pushed.content());
                    if (accepted(pushed, dstRef)) {
                        if (!accepted(pushed, tagRef)) {
                            // only where the server has no atomic push: DST landed, its tag number was taken
                            String[] retag = retag(remote, dst, plan, src, source);
                            tagRef = retag[0];
                            tagId = ObjectId.fromString(retag[1]);
                        }
                        return landed(walk, plan, remote, attempt, sent, tagRef, tagId, remoteRefs, localTip, sync);
                    }
                    refusal = describe(pushed);
                    LOG.info("promote --push: attempt {} lost ({}); fetching again", attempt, refusal);
                }
                if (attempt < maxAttempts) {
                    pause(attempt);
                }
            }
            throw new MlvException(ErrorKind.CONFLICT, "gave up promoting " + src + " into " + dst + " on '" + remote + "' after "
                    + maxAttempts + " attempts: other updates of " + dst + " kept landing first (" + refusal + ");"
                    + " nothing was changed there; run the command again");
        } catch (IOException e) {
            throw new MlvException("cannot promote " + src + " into " + dst + " on '" + remote + "': " + e.getMessage(), e);
        }
    }

    /** REMOTE as given; else DST's upstream remote ({@code branch.DST.remote}); else origin. */
    private String remoteName(String dst) {
        if (remoteArg != null && !remoteArg.isBlank()) {
            return remoteArg;
        }
        String upstream = new BranchConfig(repo.git().getConfig(), dst).getRemote();
        return upstream != null && !upstream.equals(".") ? upstream : StoreRemote.DEFAULT_NAME;
    }

    /** DST's id and its promotion tags on the remote: what a competing promotion changes. */
    private static String promotionState(Map<String, String> remoteRefs, String dst) {
        StringBuilder b = new StringBuilder(String.valueOf(remoteRefs.get(Branches.refName(dst))));
        remoteRefs.forEach((name, id) -> {
            if (Promotions.number(name, dst) > 0) {
                b.append(' ').append(name).append('=').append(id);
            }
        });
        return b.toString();
    }

    private static boolean accepted(Push.Result r, String ref) {
        return r.refs().stream().anyMatch(u -> u.ref().equals(ref)
                && (u.status().startsWith("OK") || u.status().startsWith("UP_TO_DATE")));
    }

    private static String describe(Push.Result r) {
        List<String> parts = new ArrayList<>();
        r.refs().forEach(u -> parts.add(u.ref().replaceFirst("^refs/(heads|tags)/", "") + " " + u.status().toLowerCase()
                .replace('_', ' ')));
        return String.join(", ", parts);
    }

    private static boolean isAncestor(RevWalk walk, RevCommit a, ObjectId b) throws IOException {
        walk.reset();
        return walk.isMergedInto(a, walk.parseCommit(b));
    }

    private static void pause(int attempt) throws MlvException {
        long ceiling = Math.min(CAP_MILLIS, BASE_MILLIS << Math.min(attempt, 16));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(ceiling));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MlvException("interrupted while waiting to promote again; nothing was changed on the remote", e);
        }
    }

    /**
     * A server without atomic pushes took DST but not the tag (another promotion took that N in
     * between): the next free N, until one lands. DST has its commit, so any N names it truthfully.
     */
    private String[] retag(String remote, String dst, Promote.Plan plan, String src, RevCommit source)
            throws MlvException, IOException {
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            pause(attempt);
            Map<String, String> remoteRefs = Fetch.fetchAdvertised(repo, remote);
            int n = Promotions.nextNumber(remoteRefs.keySet(), dst);
            ObjectId tagId = Promotions.writeTag(repo.git(), dst, n, plan.commit(), Promote.summary(src, dst, source),
                    promote.record(plan, src, dst), promote.identity());
            String tagRef = Constants.R_TAGS + Promotions.tagName(dst, n);
            Push.Result pushed = new Push(repo).setRemote(remote).setLeases(List.of(new Push.Lease(tagRef, tagId.name(), null)))
                    .call();
            if (accepted(pushed, tagRef)) {
                return new String[] {tagRef, tagId.name()};
            }
        }
        throw new MlvException(ErrorKind.CONFLICT, dst + " on '" + remote + "' is now " + plan.commit().name()
                + " (promoted from " + src + "), but no free promotion tag number could be pushed after " + maxAttempts
                + " attempts; tag it with 'git tag -a promote/" + dst + "/N " + plan.commit().name() + "' and push the tag");
    }

    /**
     * The remote has the promotion: the tracking ref, the tag and the local DST follow. Local
     * promotion tags of DST that disagree with the remote's (unpublished promotions that lost a
     * race) take the remote's; the local DST moves when it holds nothing the remote lacks but such
     * superseded promotions, else it is left where it is and reported as diverged.
     */
    private Promote.Result landed(RevWalk walk, Promote.Plan plan, String remote, int attempts, Transfer sent, String tagRef,
                                  ObjectId tagId, Map<String, String> remoteRefs, RevCommit localTip, WorkTreeSync sync)
            throws IOException, MlvException {
        Repository git = repo.git();
        String dst = plan.dst();
        String dstRef = Branches.refName(dst);
        force(git, Constants.R_REMOTES + remote + "/" + dst, plan.commit(), "promote --push: " + plan.src() + " into " + dst);

        // local promotion tags of DST the remote does not have as they are here
        Map<String, RevCommit> unpublished = new LinkedHashMap<>();
        List<String> collide = new ArrayList<>();
        List<String> bring = new ArrayList<>(); // the remote's promotion tags of DST this clone lacks or has otherwise
        remoteRefs.forEach((name, id) -> {
            if (Promotions.number(name, dst) > 0 && !name.equals(tagRef)) {
                bring.add(name);
            }
        });
        for (Ref t : git.getRefDatabase().getRefsByPrefix(Promotions.PREFIX + dst + "/")) {
            if (t.getObjectId().name().equals(remoteRefs.get(t.getName()))) {
                bring.remove(t.getName());
            }
            if (Promotions.number(t.getName(), dst) < 0 || t.getName().equals(tagRef) && t.getObjectId().equals(tagId)) {
                continue;
            }
            String theirs = t.getName().equals(tagRef) ? tagId.name() : remoteRefs.get(t.getName());
            if (!t.getObjectId().name().equals(theirs)) {
                RevObject o = walk.parseAny(t.getObjectId());
                unpublished.put(t.getName(), walk.parseCommit(walk.peel(o)));
                if (theirs != null) {
                    collide.add(t.getName());
                }
            }
        }
        String localState;
        RevCommit landed = walk.parseCommit(plan.commit());
        boolean moveLocal = localTip == null || isAncestor(walk, localTip, landed)
                || supersededOnly(walk, localTip, landed, unpublished);
        // the remote's records replace local ones of the same number
        collide.remove(tagRef);
        try {
            Fetch.fetchReplacing(repo, remote, bring);
        } catch (MlvException e) {
            LOG.warn("could not fetch {}'s promotion tags {}: {}", remote, bring, e.getMessage());
            collide.clear();
        }
        force(git, tagRef, tagId, "promote --push");
        List<String> replaced = new ArrayList<>();
        for (Map.Entry<String, RevCommit> e : unpublished.entrySet()) {
            String name = e.getKey().substring(Constants.R_TAGS.length());
            if (collide.contains(e.getKey()) || e.getKey().equals(tagRef)) {
                replaced.add(name + " (was " + e.getValue().abbreviate(12).name() + ", now the remote's)");
            } else if (moveLocal && !isAncestor(walk, e.getValue(), landed)) {
                delete(git, e.getKey());
                replaced.add(name + " (was " + e.getValue().abbreviate(12).name() + ", deleted: the remote has no such promotion)");
            }
        }
        boolean updated = false;
        if (localTip == null) {
            force(git, dstRef, plan.commit(), "promote --push: created from " + remote + "/" + dst);
            localState = "created";
        } else if (localTip.equals(landed)) {
            localState = "unchanged";
        } else if (moveLocal && moveIfStill(git, dstRef, localTip, plan.commit(), "promote --push: " + plan.src() + " into "
                + dst + " on " + remote)) {
            updated = sync.update(localTip.getTree(), plan.tree());
            localState = "moved";
        } else {
            localState = "diverged";
        }
        return plan.landed(tagRef.substring(Constants.R_TAGS.length()), false)
                .withPush(new Promote.Pushed(remote, attempts, localState, List.copyOf(replaced), sent), updated);
    }

    /**
     * Whether every commit the local DST has beyond {@code landed} is an unpublished promotion
     * whose source the landed commit contains: the local branch lost a race and holds nothing else.
     */
    private static boolean supersededOnly(RevWalk walk, RevCommit localTip, RevCommit landed, Map<String, RevCommit> unpublished)
            throws IOException {
        if (unpublished.isEmpty()) {
            return false;
        }
        walk.reset();
        walk.markStart(walk.parseCommit(localTip));
        walk.markUninteresting(walk.parseCommit(landed));
        List<RevCommit> extra = new ArrayList<>();
        for (RevCommit c = walk.next(); c != null; c = walk.next()) {
            extra.add(c);
        }
        walk.reset();
        for (RevCommit c : extra) {
            if (!unpublished.containsValue(c)) {
                return false;
            }
            // a merge made by a promotion: its second parent is the source, which must have landed
            if (c.getParentCount() == 2 && !isAncestor(walk, walk.parseCommit(c.getParent(1)), landed)) {
                return false;
            }
        }
        return true;
    }

    /** Moves the local DST unless something else moved it meanwhile (then it is left, as diverged). */
    private static boolean moveIfStill(Repository git, String ref, ObjectId expected, ObjectId next, String reflog)
            throws IOException {
        RefUpdate u = git.updateRef(ref);
        u.setExpectedOldObjectId(expected);
        u.setNewObjectId(next);
        u.setForceUpdate(true);
        u.setRefLogMessage(reflog, false);
        RefUpdate.Result r = u.update();
        return r == RefUpdate.Result.FORCED || r == RefUpdate.Result.FAST_FORWARD || r == RefUpdate.Result.NO_CHANGE;
    }

    private static void force(Repository git, String ref, ObjectId id, String reflog) throws IOException, MlvException {
        RefUpdate u = git.updateRef(ref);
        u.setNewObjectId(id);
        u.setForceUpdate(true);
        u.setRefLogMessage(reflog, false);
        RefUpdate.Result r = u.update();
        switch (r) {
            case NEW, FORCED, FAST_FORWARD, NO_CHANGE -> { }
            default -> throw new MlvException("the promotion landed on the remote, but " + ref + " could not be set here ("
                    + r + "); run 'mlv fetch' to bring it");
        }
    }

    private static void delete(Repository git, String ref) throws IOException {
        RefUpdate u = git.updateRef(ref);
        u.setForceUpdate(true);
        u.delete();
    }
}
