package dev.mlv.core.remote;

import dev.mlv.core.MlvConfig;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.StoreRemote;
import dev.mlv.core.Transfer;
import dev.mlv.core.ab.internal.AbTests;
import dev.mlv.core.internal.ContentRemote;
import dev.mlv.core.internal.GitTransportErrors;
import dev.mlv.store.Oid;
import dev.mlv.store.ProgressListener;
import java.io.IOException;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteConfig;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.TrackingRefUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code mlv fetch [REMOTE] [--all] [--content]}: updates the remote-tracking refs (and promotion
 * tags and A/B tests) from Git remotes. Content is fetched lazily by the commands that need it ({@code switch},
 * {@code cat}, {@code pull}); {@code --content} downloads it now for the fetched branch tips.
 */
public final class Fetch {
    private static final Logger log = LoggerFactory.getLogger(Fetch.class);
    private final MlvRepository repo;
    private String remote = StoreRemote.DEFAULT_NAME;
    private boolean all;
    private boolean content;
    private ProgressListener progress = ProgressListener.NONE;

    public Fetch(MlvRepository repo) {
        this.repo = repo;
    }

    public Fetch setRemote(String remote) {
        this.remote = remote == null ? StoreRemote.DEFAULT_NAME : remote;
        return this;
    }

    public Fetch setAll(boolean all) {
        this.all = all;
        return this;
    }

    public Fetch setContent(boolean content) {
        this.content = content;
        return this;
    }

    public Fetch setProgress(ProgressListener progress) {
        this.progress = progress;
        return this;
    }

    /** A tracking ref or tag that moved; {@code oldId} null when new. */
    public record Update(String remote, String ref, String oldId, String newId) {
    }

    public record Result(List<String> remotes, List<Update> updates, Transfer content) {
    }

    public Result call() throws MlvException {
        List<String> remotes = new ArrayList<>();
        if (all) {
            new GitRemotes(repo).list().forEach(r -> remotes.add(r.name()));
        } else {
            GitRemotes.require(repo, remote);
            remotes.add(remote);
        }
        List<Update> updates = new ArrayList<>();
        for (String name : remotes) {
            updates.addAll(fetchRefs(repo, name));
        }
        Transfer moved = Transfer.NONE;
        if (content) {
            Set<Oid> oids = new LinkedHashSet<>();
            try (RevWalk walk = new RevWalk(repo.git())) {
                for (Update u : updates) {
                    if (u.newId() != null && u.ref().startsWith("refs/remotes/")) {
                        oids.addAll(ContentScan.inTree(repo.git(), walk.parseCommit(ObjectId.fromString(u.newId())).getTree()));
                    }
                }
            } catch (IOException e) {
                throw new MlvException("cannot read the fetched commits: " + e.getMessage(), e);
            }
            moved = download(repo, oids, progress);
        }
        return new Result(remotes, updates, moved);
    }

    /**
     * A/B tests are fetched into {@code refs/mlv/ab/*} as they are (like tags, they are shared,
     * not tracked per remote), fast-forward only: a local change not yet pushed is kept.
     */
    static final RefSpec AB_TESTS = new RefSpec(AbTests.PREFIX + "*:" + AbTests.PREFIX + "*");

    /** Fetches one Git remote's branches, tags and A/B tests; returns what moved. */
    public static List<Update> fetchRefs(MlvRepository repo, String remote) throws MlvException {
        try (Git git = new Git(repo.git())) {
            List<RefSpec> specs = new ArrayList<>(new RemoteConfig(repo.git().getConfig(), remote).getFetchRefSpecs());
            if (specs.isEmpty()) {
                specs.add(new RefSpec("+" + Constants.R_HEADS + "*:" + Constants.R_REMOTES + remote + "/*"));
            }
            specs.add(AB_TESTS);
            FetchResult r = git.fetch().setRemote(remote).setTagOpt(TagOpt.FETCH_TAGS).setRefSpecs(specs).call();
            List<Update> updates = new ArrayList<>();
            for (TrackingRefUpdate u : r.getTrackingRefUpdates()) {
                if (u.getResult() == RefUpdate.Result.REJECTED || u.getResult() == RefUpdate.Result.LOCK_FAILURE
                        || u.getResult() == RefUpdate.Result.IO_FAILURE) {
                    // an A/B test changed both here and there: keep ours, say so
                    log.warn("{} on '{}' is not a descendant of the local one; kept the local one", u.getLocalName(), remote);
                    continue;
                }
                updates.add(new Update(remote, u.getLocalName(),
                        ObjectId.zeroId().equals(u.getOldObjectId()) ? null : u.getOldObjectId().name(),
                        ObjectId.zeroId().equals(u.getNewObjectId()) ? null : u.getNewObjectId().name()));
            }
            return updates;
        } catch (URISyntaxException e) {
            throw MlvException.usage("remote '" + remote + "' has a bad URL: " + e.getMessage());
        } catch (GitAPIException e) {
            throw GitTransportErrors.map("fetch from '" + remote + "'", remote, e);
        }
    }

    /**
     * Fetches one Git remote's branches into their tracking refs, but no tags (JGit's tag fetch
     * replaces a local tag of the same name without a word), and returns every ref it advertised at
     * that moment (name → object id; a tag's own id, not peeled): the remote's state that the
     * fetched objects describe, whatever the tracking refs say.
     */
    public static java.util.Map<String, String> fetchAdvertised(MlvRepository repo, String remote) throws MlvException {
        try (Git git = new Git(repo.git())) {
            FetchResult r = git.fetch().setRemote(remote).setTagOpt(TagOpt.NO_TAGS).call();
            java.util.Map<String, String> refs = new java.util.TreeMap<>();
            for (org.eclipse.jgit.lib.Ref ref : r.getAdvertisedRefs()) {
                if (ref.getObjectId() != null && !ref.isSymbolic()) {
                    refs.put(ref.getName(), ref.getObjectId().name());
                }
            }
            return refs;
        } catch (GitAPIException e) {
            throw GitTransportErrors.map("fetch from '" + remote + "'", remote, e);
        }
    }

    /** Fetches exactly these refs of a Git remote into the same local names, replacing what is there. */
    public static void fetchReplacing(MlvRepository repo, String remote, List<String> refs) throws MlvException {
        if (refs.isEmpty()) {
            return;
        }
        try (Git git = new Git(repo.git())) {
            List<org.eclipse.jgit.transport.RefSpec> specs = new ArrayList<>();
            for (String ref : refs) {
                specs.add(new org.eclipse.jgit.transport.RefSpec("+" + ref + ":" + ref));
            }
            git.fetch().setRemote(remote).setRefSpecs(specs).setTagOpt(TagOpt.NO_TAGS).call();
        } catch (GitAPIException e) {
            throw GitTransportErrors.map("fetch from '" + remote + "'", remote, e);
        }
    }

    /** Downloads the files the local store lacks from the default store remote. */
    static Transfer download(MlvRepository repo, Set<Oid> oids, ProgressListener progress) throws MlvException {
        return download(repo, repo.config(), oids, progress);
    }

    static Transfer download(MlvRepository repo, MlvConfig config, Set<Oid> oids, ProgressListener progress)
            throws MlvException {
        List<Oid> missing = new ArrayList<>();
        try {
            for (Oid oid : oids) {
                if (!repo.content().has(oid)) {
                    missing.add(oid);
                }
            }
        } catch (IOException e) {
            throw new MlvException("cannot read the local store: " + e.getMessage(), e);
        }
        if (missing.isEmpty()) {
            return new Transfer(0, oids.size(), 0, 0, 0, 0, 0, 0);
        }
        StoreRemote remote = StoreRemote.pick(config, null);
        if (remote == null) {
            throw MlvException.notFound(missing.size() + " large file(s) are not in the local store and "
                    + MlvConfig.PATH + " names no store remote; add one with 'mlv store remote set origin URL'");
        }
        try (ContentRemote store = ContentRemote.open(repo, config, remote, null)) {
            Transfer t = store.download(missing, progress);
            return new Transfer(t.files(), t.filesSkipped() + oids.size() - missing.size(), t.chunks(), t.chunksSkipped(),
                    t.bytes(), t.skippedBytes(), t.packs(), t.millis());
        }
    }
}
