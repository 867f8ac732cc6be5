package dev.mlv.core.remote;

import dev.mlv.core.ErrorKind;
import dev.mlv.core.MlvConfig;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.StoreRemote;
import dev.mlv.core.Transfer;
import dev.mlv.core.ab.AbTest;
import dev.mlv.core.ab.internal.AbTests;
import dev.mlv.core.internal.Branches;
import dev.mlv.core.internal.ContentRemote;
import dev.mlv.core.internal.GitTransportErrors;
import dev.mlv.core.internal.RefMoves;
import dev.mlv.core.promotion.internal.Promotions;
import dev.mlv.store.LockLostException;
import dev.mlv.store.Oid;
import dev.mlv.store.ProgressListener;
import dev.mlv.store.RemoteLock;
import dev.mlv.store.backend.Backend;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.AbortedByHookException;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.hooks.Hooks;
import org.eclipse.jgit.hooks.PrePushHook;
import org.eclipse.jgit.internal.JGitText;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.Transport;

/**
 * {@code mlv push [REMOTE] [BRANCH...|--all]}: content first, refs second. Holds the store
 * remote's lock shared throughout, so no {@code gc --remote} runs meanwhile. Finds the large files
 * referenced by commits the Git remote does not have now (everything reachable from the pushed
 * branches and not from the branches and tags the Git host lists at this moment; tracking refs are
 * not trusted), uploads the chunks the store remote lacks (packs, then indexes, then manifests),
 * checks that the lock still holds, and only then pushes the branches, their promotion tags and the
 * A/B tests whose pinned commits the remote will then have ({@code refs/mlv/ab/*}). A
 * failure before the refs are pushed leaves the remote's refs unchanged; running again sends only
 * what did not arrive.
 */
public final class Push {
    private final MlvRepository repo;
    private String remote = StoreRemote.DEFAULT_NAME;
    private String storeRemote;
    private List<String> branches = List.of();
    private boolean all;
    private boolean dryRun;
    private ProgressListener progress = ProgressListener.NONE;
    private UnaryOperator<Backend> backendWrapper;
    private List<Lease> leases = List.of();

    /** How long a push waits for a running {@code gc --remote} of its store remote to finish. */
    static final Duration GC_WAIT = Duration.ofMinutes(10);

    public Push(MlvRepository repo) {
        this.repo = repo;
    }

    public Push setRemote(String remote) {
        this.remote = remote == null ? StoreRemote.DEFAULT_NAME : remote;
        return this;
    }

    /** The store remote to upload to; default: the one named like the Git remote, else the default. */
    public Push setStoreRemote(String name) {
        this.storeRemote = name;
        return this;
    }

    public Push setBranches(List<String> branches) {
        this.branches = branches == null ? List.of() : List.copyOf(branches);
        return this;
    }

    public Push setAll(boolean all) {
        this.all = all;
        return this;
    }

    public Push setDryRun(boolean dryRun) {
        this.dryRun = dryRun;
        return this;
    }

    public Push setProgress(ProgressListener progress) {
        this.progress = progress;
        return this;
    }

    /** Decorates the store remote's backend (fault injection in tests). */
    public Push setBackendWrapper(UnaryOperator<Backend> wrapper) {
        this.backendWrapper = wrapper;
        return this;
    }

    /**
     * One ref to set on the Git remote to a local object, only if the remote's ref is
     * {@code expectedOldId} at that moment (null: it must not exist yet): a compare-and-swap.
     */
    public record Lease(String ref, String newId, String expectedOldId) {
    }

    /**
     * Pushes exactly these refs instead of branches and their tags: all of them or none where the
     * server supports atomic pushes, else one at a time in the order given, stopping at the first
     * refusal. A refused lease is reported in the result's statuses, not thrown; the content goes
     * first as always.
     */
    public Push setLeases(List<Lease> leases) {
        this.leases = List.copyOf(leases);
        return this;
    }

    /** One ref update: {@code status} is JGit's (OK, UP_TO_DATE, REJECTED_NONFASTFORWARD, ...). */
    public record RefUpdate(String ref, String oldId, String newId, String status) {
    }

    /** An A/B test that was not pushed, and why. */
    public record HeldBack(String test, String reason) {
    }

    /**
     * {@code abTests}: the A/B tests pushed (their refs are among {@code refs}); {@code heldBack}:
     * local A/B tests not pushed, with the reason.
     */
    public record Result(String remote, String storeRemote, boolean dryRun, List<String> branches, List<RefUpdate> refs,
                         Transfer content, List<String> abTests, List<HeldBack> heldBack) {
    }

    public Result call() throws MlvException {
        GitRemotes.require(repo, remote);
        List<String> names = leases.isEmpty() ? branchNames() : leases.stream().map(Lease::ref)
                .filter(r -> r.startsWith(Constants.R_HEADS)).map(r -> r.substring(Constants.R_HEADS.length())).toList();
        try {
            List<ObjectId> tips = new ArrayList<>();
            List<RefSpec> specs = new ArrayList<>();
            for (Lease l : leases) {
                try (org.eclipse.jgit.revwalk.RevWalk walk = new org.eclipse.jgit.revwalk.RevWalk(repo.git())) {
                    tips.add(walk.peel(walk.parseAny(ObjectId.fromString(l.newId()))).getId());
                }
            }
            for (String b : leases.isEmpty() ? names : List.<String>of()) {
                Ref ref = repo.git().exactRef(Branches.refName(b));
                if (ref == null) {
                    throw MlvException.notFound("branch '" + b + "' not found; list branches with 'git branch'");
                }
                tips.add(ref.getObjectId());
                specs.add(new RefSpec(ref.getName() + ":" + ref.getName()));
                for (Ref tag : repo.git().getRefDatabase().getRefsByPrefix(Promotions.PREFIX + b + "/")) {
                    specs.add(new RefSpec(tag.getName() + ":" + tag.getName()));
                }
            }
            StoreRemote paired = StoreRemote.pick(repo.config(), remote);
            StoreRemote target = storeRemote == null ? paired : StoreRemote.pick(repo.config(), storeRemote);
            if (target != null && storeRemote != null && !storeRemote.equals(target.name())) {
                target = null; // no store remote of that name: an error only if content must go
            }
            // What the Git host's refs reach is on the store remote they are paired with: each push
            // sent it before its refs, and gc keeps it. Another store remote proves nothing.
            boolean hostRefsCount = target == null || paired != null && paired.name().equals(target.name());
            try (ContentRemote store = target == null ? null
                    : ContentRemote.open(repo, repo.config(), target, backendWrapper);
                 // a Git LFS server has no locks and no gc --remote to hold off
                 RemoteLock lock = store == null || dryRun || store.lfs() ? null : store.lock(RemoteLock.Kind.SHARED, "push", GC_WAIT,
                         "gc --remote is collecting it: push again when it has finished")) {
                // Under the lock no gc --remote runs, so what the host's refs reach now stays on the
                // store remote until our refs are pushed; tracking refs may be stale and count for nothing.
                Map<String, ObjectId> host = hostRefs();
                List<ObjectId> hostCommits = hostCommits(host);
                List<HeldBack> heldBack = new ArrayList<>();
                // a promotion's push (leases) carries its branch and tag only
                List<String> abTests = leases.isEmpty() ? abTests(tips, host, hostCommits, specs, heldBack) : List.of();
                Set<Oid> oids = ContentScan.reachable(repo.git(), tips, hostRefsCount ? hostCommits : List.of());
                // Content first: the refs go only once every file they reference is in the store remote.
                Transfer content = Transfer.NONE;
                String usedStore = null;
                if (!oids.isEmpty()) {
                    if (store == null) {
                        throw MlvException.notFound("the pushed commits reference " + oids.size() + " large file(s) but"
                                + " no store remote " + (storeRemote == null ? "is configured" : "named '" + storeRemote
                                + "' exists") + "; configure one with 'mlv store remote set origin URL' (and commit "
                                + MlvConfig.PATH + "); nothing was pushed");
                    }
                    usedStore = target.name();
                    content = store.upload(new LinkedHashSet<>(oids), dryRun, progress);
                }
                if (lock != null) {
                    lock.check();
                }
                List<RefUpdate> updates = leases.isEmpty() ? pushRefs(specs, names) : pushLeases();
                return new Result(remote, usedStore, dryRun, names, updates, content, abTests, heldBack);
            }
        } catch (LockLostException e) {
            throw new MlvException("cannot push to '" + remote + "': " + e.getMessage() + "; no ref was pushed, the"
                    + " uploaded content is kept: push again", e);
        } catch (IOException e) {
            throw new MlvException("cannot push to '" + remote + "': " + e.getMessage(), e);
        }
    }

    /** The Git remote's refs now, asked over its transport (as {@code git ls-remote} does). */
    private Map<String, ObjectId> hostRefs() throws MlvException {
        try (Git git = new Git(repo.git())) {
            Map<String, ObjectId> refs = new HashMap<>();
            for (Ref r : git.lsRemote().setRemote(remote).call()) {
                if (r.getObjectId() != null) {
                    refs.put(r.getName(), r.getPeeledObjectId() != null ? r.getPeeledObjectId() : r.getObjectId());
                }
            }
            return refs;
        } catch (GitAPIException e) {
            throw GitTransportErrors.map("list the refs of '" + remote + "'", remote, e);
        }
    }

    /**
     * The commits the Git remote's branches and tags point at now: a tracking ref may name a branch
     * deleted there since, whose content {@code gc --remote} may have removed.
     */
    private static List<ObjectId> hostCommits(Map<String, ObjectId> host) {
        List<ObjectId> ids = new ArrayList<>();
        host.forEach((name, id) -> {
            if (name.startsWith(Constants.R_HEADS) || name.startsWith(Constants.R_TAGS)) {
                ids.add(id);
            }
        });
        return ids;
    }

    /**
     * Adds a push of each local A/B test the remote should get: one it lacks or has an older
     * version of, whose arms' pinned commits the remote will have once this push is done (reached
     * from a pushed branch, whose content goes first, or from the host's branches and tags, whose
     * content is there). The others are held back with the reason: a test whose arm commits would
     * be missing there could not be read, and one changed on both sides is for {@code pull} to show.
     */
    private List<String> abTests(List<ObjectId> tips, Map<String, ObjectId> host, List<ObjectId> hostCommits,
                                 List<RefSpec> specs, List<HeldBack> heldBack) throws MlvException, IOException {
        List<Ref> local = AbTests.refs(repo.git());
        if (local.isEmpty()) {
            return List.of();
        }
        List<String> pushed = new ArrayList<>();
        Map<String, List<AbTest.Arm>> candidates = new java.util.LinkedHashMap<>();
        Set<ObjectId> pinned = new java.util.HashSet<>();
        try (RevWalk walk = new RevWalk(repo.git())) {
            for (Ref ref : local) {
                String name = ref.getName().substring(AbTests.PREFIX.length());
                ObjectId there = host.get(ref.getName());
                if (ref.getObjectId().equals(there)) {
                    continue;
                }
                if (there != null) {
                    RevCommit theirs = repo.git().getObjectDatabase().has(there) ? walk.parseCommit(there) : null;
                    if (theirs == null || !walk.isMergedInto(theirs, walk.parseCommit(ref.getObjectId()))) {
                        if (theirs == null || !walk.isMergedInto(walk.parseCommit(ref.getObjectId()), theirs)) {
                            heldBack.add(new HeldBack(name, "it changed on '" + remote + "' too; run 'mlv fetch " + remote
                                    + "' and compare with 'mlv ab show " + name + "'"));
                        }
                        continue; // behind the remote's: fetch brings it
                    }
                }
                List<AbTest.Arm> arms = AbTests.readAt(repo.git(), name, ref.getObjectId()).test().arms();
                candidates.put(ref.getName(), arms);
                arms.forEach(a -> pinned.add(ObjectId.fromString(a.commit())));
            }
        }
        Set<ObjectId> there = reached(pinned, tips, hostCommits);
        for (Map.Entry<String, List<AbTest.Arm>> c : candidates.entrySet()) {
            String name = c.getKey().substring(AbTests.PREFIX.length());
            AbTest.Arm missing = c.getValue().stream().filter(a -> !there.contains(ObjectId.fromString(a.commit())))
                    .findFirst().orElse(null);
            if (missing != null) {
                heldBack.add(new HeldBack(name, "arm " + missing.name() + " is pinned to " + missing.commit().substring(0, 12)
                        + ", which '" + remote + "' does not have and this push does not send; push branch '"
                        + missing.branch() + "' too"));
            } else {
                specs.add(new RefSpec(c.getKey() + ":" + c.getKey()));
                pushed.add(name);
            }
        }
        return pushed;
    }

    /** Which of {@code wanted} the given commits reach (one walk, stopping once all are found). */
    private Set<ObjectId> reached(Set<ObjectId> wanted, List<ObjectId> tips, List<ObjectId> hostCommits) throws IOException {
        Set<ObjectId> found = new java.util.HashSet<>();
        if (wanted.isEmpty()) {
            return found;
        }
        try (RevWalk walk = new RevWalk(repo.git())) {
            for (ObjectId id : tips) {
                walk.markStart(walk.parseCommit(id));
            }
            for (ObjectId id : hostCommits) {
                try {
                    walk.markStart(walk.parseCommit(id));
                } catch (MissingObjectException | IncorrectObjectTypeException e) {
                    // a host ref to something we do not have or that is not a commit: no help
                }
            }
            for (RevCommit c = walk.next(); c != null && found.size() < wanted.size(); c = walk.next()) {
                if (wanted.contains(c)) {
                    found.add(c.copy());
                }
            }
        }
        return found;
    }

    private List<String> branchNames() throws MlvException {
        if (all) {
            if (!branches.isEmpty()) {
                throw MlvException.usage("give branches or --all, not both");
            }
            try {
                return repo.git().getRefDatabase().getRefsByPrefix(Constants.R_HEADS).stream()
                        .map(r -> r.getName().substring(Constants.R_HEADS.length())).toList();
            } catch (IOException e) {
                throw new MlvException("cannot list branches: " + e.getMessage(), e);
            }
        }
        if (!branches.isEmpty()) {
            return branches;
        }
        try {
            String full = repo.git().getFullBranch();
            if (full == null || !full.startsWith(Constants.R_HEADS)) {
                throw MlvException.usage("HEAD is detached; name the branch to push: 'mlv push " + remote + " BRANCH'");
            }
            return List.of(full.substring(Constants.R_HEADS.length()));
        } catch (IOException e) {
            throw new MlvException("cannot read HEAD: " + e.getMessage(), e);
        }
    }

    private List<RefUpdate> pushLeases() throws MlvException {
        java.io.PrintStream quiet = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
        try {
            PrePushHook hook = Hooks.prePush(repo.git(), quiet, quiet);
            if (hook != null && hook.isNativeHookPresent()) {
                hook.setRemoteName(remote);
                hook.setRemoteLocation(repo.git().getConfig().getString("remote", remote, "url"));
                hook.setRefs(remoteUpdates());
                hook.call();
            }
            PushResult result;
            try (Transport transport = Transport.open(repo.git(), remote)) {
                transport.setPushAtomic(true);
                result = transport.push(NullProgressMonitor.INSTANCE, remoteUpdates());
            } catch (org.eclipse.jgit.errors.TransportException e) {
                if (e.getMessage() == null || !e.getMessage().endsWith(JGitText.get().atomicPushNotSupported)) {
                    throw e;
                }
                // A server without atomic pushes: one update at a time in the caller's order, stopping
                // at the first refusal (a tag never lands without its branch).
                List<RefUpdate> updates = new ArrayList<>();
                for (RemoteRefUpdate one : remoteUpdates()) {
                    if (!updates.isEmpty() && !updates.get(updates.size() - 1).status().startsWith("OK")
                            && !updates.get(updates.size() - 1).status().startsWith("UP_TO_DATE")) {
                        updates.add(new RefUpdate(one.getRemoteName(), null, one.getNewObjectId().name(),
                                "REJECTED_OTHER_REASON: not attempted"));
                        continue;
                    }
                    try (Transport transport = Transport.open(repo.git(), remote)) {
                        updates.addAll(statuses(transport.push(NullProgressMonitor.INSTANCE, List.of(one))));
                    }
                }
                return updates;
            }
            return statuses(result);
        } catch (AbortedByHookException e) {
            throw GitTransportErrors.map("push to '" + remote + "'", remote, e);
        } catch (java.net.URISyntaxException | IOException e) {
            throw GitTransportErrors.map("push to '" + remote + "'", remote,
                    new org.eclipse.jgit.api.errors.TransportException(e.getMessage(), e));
        }
    }

    /**
     * When a refused branch carries a local promotion the remote does not have as it is here (its
     * {@code promote/B/N} is missing there or names something else), another promotion landed
     * first: merging the remote's branch would skip the gates and keep a colliding tag number.
     * Says what to run instead, or null when no such promotion exists.
     */
    private String lostPromotion(List<String> names, java.util.Map<String, String> advertised) throws MlvException {
        try {
            for (String b : names) {
                List<Promotions.Promotion> lost = new ArrayList<>();
                for (Promotions.Promotion p : Promotions.list(repo.git(), b)) {
                    Ref local = repo.git().exactRef(Constants.R_TAGS + p.tag());
                    if (local != null && !local.getObjectId().name().equals(advertised.get(local.getName()))) {
                        lost.add(p);
                    }
                }
                if (lost.isEmpty()) {
                    continue;
                }
                Promotions.Promotion last = lost.get(lost.size() - 1);
                String source = last.kind().equals("promote") ? last.record().path("source").asText("SRC") : "SRC";
                return "'" + b + "' moved on '" + remote + "' after your local promotion " + last.tag() + ", which was never"
                        + " published (another promotion landed first); promote again against " + remote + "'s " + b
                        + " with 'mlv promote " + source + " " + b + " --push " + remote + "' (it fetches, runs the gates"
                        + " against " + remote + "/" + b + ", merges, takes the next free tag number and pushes both; do not"
                        + " merge " + remote + "/" + b + " by hand)";
            }
            return null;
        } catch (IOException e) {
            throw new MlvException("cannot read the promotion tags: " + e.getMessage(), e);
        }
    }

    /**
     * What to do about a locked ref: for a Git remote that is a directory here (resolved as JGit
     * resolves it, against the working directory), the lock file to delete once no push is running
     * when it stays ({@link RefMoves#staleLocks}), else "push again"; for any other remote, to wait
     * for the other push.
     */
    private String lockFileHint(String ref) {
        String url = repo.git().getConfig().getString("remote", remote, "url");
        if (url == null) {
            return "push again once the other push is done";
        }
        try {
            org.eclipse.jgit.transport.URIish uri = new org.eclipse.jgit.transport.URIish(url);
            if (uri.getScheme() != null && !"file".equals(uri.getScheme()) || uri.getHost() != null) {
                return "push again once the other push is done (if the lock stays, the Git host's administrator can remove it)";
            }
            java.io.File dir = new java.io.File(uri.getPath());
            if (!dir.isAbsolute()) {
                dir = new java.io.File(System.getProperty("user.dir"), uri.getPath());
            }
            java.io.File gitDir = new java.io.File(dir, ".git").isDirectory() ? new java.io.File(dir, ".git") : dir;
            List<java.nio.file.Path> stale = RefMoves.staleLocks(gitDir.toPath(), List.of(ref, "packed-refs"));
            return stale.isEmpty() ? "push again" : "if no push is running, delete " + stale.get(0) + ", then push again";
        } catch (java.net.URISyntaxException e) {
            return "push again once the other push is done";
        }
    }

    private static List<RefUpdate> statuses(PushResult result) {
        List<RefUpdate> updates = new ArrayList<>();
        for (RemoteRefUpdate u : result.getRemoteUpdates()) {
            updates.add(new RefUpdate(u.getRemoteName(),
                    u.getExpectedOldObjectId() == null ? null : u.getExpectedOldObjectId().name(),
                    u.getNewObjectId() == null ? null : u.getNewObjectId().name(),
                    u.getStatus().name() + (u.getMessage() == null ? "" : ": " + u.getMessage())));
        }
        return updates;
    }

    /** Fresh JGit updates for the leases (JGit records each push's outcome in them). */
    private List<RemoteRefUpdate> remoteUpdates() throws IOException {
        List<RemoteRefUpdate> out = new ArrayList<>();
        for (Lease l : leases) {
            out.add(new RemoteRefUpdate(repo.git(), (String) null, ObjectId.fromString(l.newId()), l.ref(), false, null,
                    l.expectedOldId() == null ? ObjectId.zeroId() : ObjectId.fromString(l.expectedOldId())));
        }
        return out;
    }

    private List<RefUpdate> pushRefs(List<RefSpec> specs, List<String> names) throws MlvException {
        List<RefUpdate> updates = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        List<RemoteRefUpdate> otherReason = new ArrayList<>();
        java.util.Map<String, String> advertised = new java.util.HashMap<>();
        try (Git git = new Git(repo.git())) {
            // A pre-push hook writes nothing to mlv's stdout (results, --json) or raw to stderr: what it
            // says on stderr is kept by JGit and goes into the one-line error if it rejects the push.
            java.io.PrintStream quiet = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
            Iterable<PushResult> results = git.push().setRemote(remote).setRefSpecs(specs).setDryRun(dryRun)
                    .setHookOutputStream(quiet).setHookErrorStream(quiet)
                    .call();
            for (PushResult pr : results) {
                pr.getAdvertisedRefs().forEach(r -> {
                    if (r.getObjectId() != null) {
                        advertised.put(r.getName(), r.getObjectId().name());
                    }
                });
                for (RemoteRefUpdate u : pr.getRemoteUpdates()) {
                    String status = u.getStatus().name();
                    updates.add(new RefUpdate(u.getRemoteName(),
                            u.getExpectedOldObjectId() == null ? null : u.getExpectedOldObjectId().name(),
                            u.getNewObjectId() == null ? null : u.getNewObjectId().name(), status));
                    if (u.getStatus() != RemoteRefUpdate.Status.OK && u.getStatus() != RemoteRefUpdate.Status.UP_TO_DATE) {
                        rejected.add(u.getRemoteName() + " (" + status.toLowerCase() + ")");
                        if (u.getStatus() == RemoteRefUpdate.Status.REJECTED_OTHER_REASON) {
                            otherReason.add(u);
                        }
                    }
                }
            }
        } catch (GitAPIException e) {
            throw GitTransportErrors.map("push to '" + remote + "'", remote, e);
        }
        if (!otherReason.isEmpty()) {
            // Not a missing pull: the remote could not or would not update the ref. Its reason,
            // and for a ref lock (left by a push killed on this machine, or held by one running)
            // the file to delete once no push is running, as for git's "cannot lock ref".
            RemoteRefUpdate u = otherReason.get(0);
            String why = u.getMessage() == null ? "no reason given" : u.getMessage();
            if (why.toLowerCase(java.util.Locale.ROOT).contains("lock")) {
                throw new MlvException(ErrorKind.CONFLICT, "the Git remote '" + remote + "' could not update "
                        + u.getRemoteName() + ": the ref is locked (" + why + ") by another push, or by one that was"
                        + " killed; " + lockFileHint(u.getRemoteName())
                        + " (the content upload is kept and not sent again)");
            }
            throw new MlvException(ErrorKind.CONFLICT, "the Git remote '" + remote + "' refused " + String.join(", ", rejected)
                    + ": " + why + " (the content upload is kept and not sent again)");
        }
        String promoteAgain = rejected.isEmpty() ? null : lostPromotion(names, advertised);
        if (promoteAgain != null) {
            throw new MlvException(ErrorKind.CONFLICT, "the Git remote '" + remote + "' refused " + String.join(", ", rejected)
                    + ": " + promoteAgain + " (the content upload is kept and not sent again)");
        }
        if (!rejected.isEmpty()) {
            throw new MlvException(ErrorKind.CONFLICT, "the Git remote '" + remote + "' refused " + String.join(", ", rejected)
                    + "; it has commits you do not have: run 'mlv pull " + remote + "', then push again"
                    + " (the content upload is kept and not sent again)");
        }
        return updates;
    }
}
