package dev.mlv.core.remote;

import dev.mlv.core.workspace.internal.LargeFileCheckout;
import dev.mlv.core.workspace.internal.WorkTreeSync;
import dev.mlv.git.IndexRefresh;
import dev.mlv.core.internal.TreePaths;
import dev.mlv.core.AtomicFiles;
import dev.mlv.core.internal.GitTransportErrors;
import dev.mlv.core.internal.RepoContent;
import dev.mlv.core.gitinterop.GitConfigScope;
import dev.mlv.core.MlvConfig;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.Session;
import dev.mlv.core.StoreRemote;
import dev.mlv.core.Transfer;
import dev.mlv.core.gitinterop.Install;
import dev.mlv.core.workspace.Init;
import dev.mlv.store.Oid;
import dev.mlv.store.ProgressListener;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheCheckout;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * {@code mlv clone URL [DIR] [--branch B]}: fetches the Git repository, reads the store remote from
 * {@code .mlv/config.json} on the branch to check out, downloads that branch's large files (only
 * that branch's: other branches' content comes lazily), sets mlv up as {@code mlv init} does, and
 * checks the branch out. A failure removes the directory it created, so running again starts clean.
 */
public final class Clone {
    private final Session session;
    private String url;
    private Path directory;
    private String branch;
    private String launcher = Install.DEFAULT_LAUNCHER;
    private ProgressListener progress = ProgressListener.NONE;

    public Clone(Session session) {
        this.session = session;
    }

    public Clone setUrl(String url) {
        this.url = url;
        return this;
    }

    public Clone setDirectory(Path directory) {
        this.directory = directory;
        return this;
    }

    public Clone setBranch(String branch) {
        this.branch = branch;
        return this;
    }

    public Clone setLauncher(String launcher) {
        this.launcher = launcher == null || launcher.isBlank() ? Install.DEFAULT_LAUNCHER : launcher;
        return this;
    }

    public Clone setProgress(ProgressListener progress) {
        this.progress = progress;
        return this;
    }

    public record Result(String directory, String url, String branch, String commit, String storeRemote,
                         int largeFiles, Transfer content) {
    }

    /** The directory name git would pick: the URL's last segment without {@code .git}. */
    public static String defaultDirectory(String url) {
        String s = url.replaceAll("[/\\\\]+$", "");
        s = s.substring(Math.max(s.lastIndexOf('/'), s.lastIndexOf(':')) + 1);
        return s.endsWith(".git") ? s.substring(0, s.length() - 4) : s;
    }

    /**
     * {@code mlv.partial = true} in a clone's {@code .git/config}: its store holds what was checked
     * out, and history's content is fetched when needed, so a version without a manifest here was
     * never downloaded rather than lost.
     */
    public static final String PARTIAL_SECTION = "mlv";
    public static final String PARTIAL_KEY = "partial";

    public Result call() throws MlvException {
        Path dir = directory.toAbsolutePath().normalize();
        boolean created = !Files.exists(dir);
        try {
            if (!created && (!Files.isDirectory(dir) || !isEmpty(dir))) {
                throw MlvException.usage(dir + " already exists and is not an empty directory; choose another DIR");
            }
            Result r = cloneInto(dir);
            return r;
        } catch (MlvException | RuntimeException e) {
            cleanUp(dir, created);
            throw e;
        }
    }

    private Result cloneInto(Path dir) throws MlvException {
        String name = StoreRemote.DEFAULT_NAME;
        RevCommit commit;
        String chosen;
        try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch(branch == null ? Init.INITIAL_BRANCH : branch).call()) {
            git.remoteAdd().setName(name).setUri(new URIish(url)).call();
            FetchResult fetched = git.fetch().setRemote(name).setTagOpt(TagOpt.FETCH_TAGS)
                    .setRefSpecs(new RefSpec("+refs/heads/*:refs/remotes/" + name + "/*"), Fetch.AB_TESTS).call();
            chosen = branch != null ? branch : remoteHead(fetched);
            Ref tracking = git.getRepository().exactRef(Constants.R_REMOTES + name + "/" + chosen);
            if (tracking == null) {
                throw MlvException.notFound(chosen == null ? "the repository at " + url + " has no branches; nothing to clone"
                        : "the repository at " + url + " has no branch '" + chosen + "'");
            }
            try (RevWalk walk = new RevWalk(git.getRepository())) {
                commit = walk.parseCommit(tracking.getObjectId());
                TreePaths.refuseUnsafe(walk.getObjectReader(), commit, "branch '" + chosen + "' of " + url);
            }
            RefUpdate ru = git.getRepository().updateRef(Constants.R_HEADS + chosen);
            ru.setNewObjectId(commit);
            ru.setRefLogMessage("mlv clone: from " + url, false);
            ru.update();
            git.getRepository().updateRef(Constants.HEAD).link(Constants.R_HEADS + chosen);
            StoredConfig config = git.getRepository().getConfig();
            config.setString("branch", chosen, "remote", name);
            config.setString("branch", chosen, "merge", Constants.R_HEADS + chosen);
            // history's content stays on the store remote until a command needs it (fsck: not damage)
            config.setBoolean(PARTIAL_SECTION, null, PARTIAL_KEY, true);
            config.save();
        } catch (URISyntaxException e) {
            throw MlvException.usage("'" + url + "' is not a Git URL or path: " + e.getMessage());
        } catch (GitAPIException e) {
            throw GitTransportErrors.map("clone " + url, url, e);
        } catch (IOException e) {
            throw new MlvException("cannot clone " + url + " into " + dir + ": " + e.getMessage(), e);
        }
        // As 'mlv init' on an existing repository: the filter for plain git, then the local store.
        Install.configure(dir.resolve(Constants.DOT_GIT).resolve(Constants.CONFIG), GitConfigScope.LOCAL, launcher);
        try (MlvRepository repo = MlvRepository.openAt(dir, session)) {
            AtomicFiles.excludeTempFiles(repo.git().getDirectory().toPath());
            repo.content().initialize();
            MlvConfig config = committedConfig(repo, commit);
            Set<Oid> oids = ContentScan.inTree(repo.git(), commit.getTree());
            List<WorkTreeSync.Needed> toWrite;
            try (var reader = repo.git().newObjectReader()) {
                toWrite = WorkTreeSync.largeFilesToWrite(reader, null, commit.getTree());
            }
            // the files the checkout writes several at once are written out whole as their chunks arrive
            try (RepoContent.Reporting downloaded = repo.content().writeOnDownload(
                    toWrite.stream().map(WorkTreeSync.Needed::pointer).toList(), repo.workTree())) {
                Transfer moved = oids.isEmpty() ? Transfer.NONE : Fetch.download(repo, config, oids, progress);
                WorkTreeSync.requireSizes(repo, toWrite, "clone " + url);
                long checkoutBytes = toWrite.stream().mapToLong(n -> n.pointer().size()).sum();
                StoreRemote store = StoreRemote.pick(config, null);
                // the checkout's own progress: the download, if any, has reported its bytes already
                progress.totalKnown(moved.bytes() + checkoutBytes);
                checkout(repo, commit, url, progress);
                return new Result(dir.toString(), url, chosen, commit.name(), store == null ? null : store.name(), oids.size(), moved);
            }
        } catch (IOException e) {
            throw new MlvException("cannot check out '" + chosen + "' in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The large files staged several at once, then JGit's checkout of the rest. */
    private static void checkout(MlvRepository repo, RevCommit commit, String url, ProgressListener progress)
            throws MlvException, IOException {
        try (RepoContent.Reporting reporting = repo.content().reportReadsTo(progress);
             var reader = repo.git().newObjectReader();
             LargeFileCheckout staged = LargeFileCheckout.stage(repo, reader, repo.git().readDirCache(), null,
                     commit.getTree(), "clone " + url)) {
            DirCache dc = repo.git().lockDirCache();
            try {
                staged.install(dc);
                DirCacheCheckout co = new DirCacheCheckout(repo.git(), dc, commit.getTree());
                co.setFailOnConflict(true);
                co.checkout();
            } finally {
                dc.unlock();
            }
        }
        IndexRefresh.afterCheckout(repo.git());
    }

    /** The branch the remote's HEAD names (as git clone picks it), or null when it has none. */
    private static String remoteHead(FetchResult fetched) {
        Ref head = fetched.getAdvertisedRef(Constants.HEAD);
        if (head != null && head.isSymbolic() && head.getTarget().getName().startsWith(Constants.R_HEADS)) {
            return head.getTarget().getName().substring(Constants.R_HEADS.length());
        }
        ObjectId id = head == null ? null : head.getObjectId();
        String fallback = null;
        for (Ref r : fetched.getAdvertisedRefs()) {
            if (!r.getName().startsWith(Constants.R_HEADS)) {
                continue;
            }
            String b = r.getName().substring(Constants.R_HEADS.length());
            if (id != null && id.equals(r.getObjectId())) {
                return b;
            }
            if (fallback == null || b.equals("main") || b.equals("master")) {
                fallback = b;
            }
        }
        return fallback;
    }

    /** {@code .mlv/config.json} as committed on the branch (defaults when it is not there). */
    private static MlvConfig committedConfig(MlvRepository repo, RevCommit commit) throws IOException, MlvException {
        try (TreeWalk tw = TreeWalk.forPath(repo.git(), MlvConfig.PATH, commit.getTree())) {
            if (tw == null) {
                return MlvConfig.defaults();
            }
            return MlvConfig.parse(repo.git().open(tw.getObjectId(0)).getBytes(), MlvConfig.PATH + " on the cloned branch");
        }
    }

    private static boolean isEmpty(Path dir) throws MlvException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            throw new MlvException("cannot read " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void cleanUp(Path dir, boolean created) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).filter(p -> created || !p.equals(dir)).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(Clone.class).warn("cannot remove the incomplete clone in {}: {}", dir, e.toString());
        }
    }
}
