package dev.mlv.core.data.internal;

import dev.mlv.core.ErrorKind;
import dev.mlv.core.MlvConfig;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.StoreRemote;
import dev.mlv.core.internal.ContentRemote;
import dev.mlv.core.internal.RepoContent;
import dev.mlv.core.internal.Scratch;
import dev.mlv.core.workspace.internal.WorkTreeSync;
import dev.mlv.git.FilterDriverConfig;
import dev.mlv.git.MlvGitRepository;
import dev.mlv.store.ChunkStore;
import dev.mlv.store.ContentNotFoundException;
import dev.mlv.store.Oid;
import dev.mlv.store.ProgressListener;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.InvalidRemoteException;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheCheckout;
import org.eclipse.jgit.errors.ConfigInvalidException;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.util.FS;

/**
 * The data submodule of an mlv repository, opened through mlv so that its large files are
 * smudged from its own store ({@code .git/modules/data/mlv/store}). Clones, fetches, brings in
 * the large-file content a data commit needs (from the data repository's store when it is a
 * local path), and checks data commits out, detached, the way {@code git submodule update} does.
 */
public final class DataModule implements AutoCloseable {
    static final String REMOTE = Constants.DEFAULT_REMOTE_NAME;

    private final MlvRepository repo;
    private final String path;
    private final DataUrl url;
    private final String branch;
    private final Path gitDir;
    private final Path workTree;
    private final RepoContent content;
    private MlvGitRepository git;

    private DataModule(MlvRepository repo, String path, DataUrl url, String branch) throws MlvException {
        this.repo = repo;
        this.path = path;
        this.workTree = repo.workTree().resolve(path);
        this.url = url;
        this.branch = branch;
        this.gitDir = gitDirOf(repo);
        this.content = new RepoContent(gitDir.resolve("mlv").resolve("store"), gitDir.resolve("mlv").resolve("lock"));
    }

    /** A data module about to be cloned by {@code mlv data add}. */
    public static DataModule create(MlvRepository repo, String path, DataUrl url, String branch) throws MlvException {
        return new DataModule(repo, path, url, branch);
    }

    /** The repository's data submodule as {@code .gitmodules} declares it; NOT_FOUND when there is none. */
    public static DataModule open(MlvRepository repo) throws MlvException {
        Path file = repo.workTree().resolve(Submodules.GITMODULES);
        FileBasedConfig modules = new FileBasedConfig(file.toFile(), FS.DETECTED);
        try {
            modules.load();
        } catch (IOException | ConfigInvalidException e) {
            throw new MlvException("cannot read " + Submodules.GITMODULES + ": " + e.getMessage() + "; fix the file", e);
        }
        if (modules.getString("submodule", Submodules.DATA_NAME, "url") == null) {
            throw MlvException.notFound("this repository has no data submodule; add one with 'mlv data add URL'");
        }
        return declaredIn(repo, modules, null);
    }

    /**
     * The data module already cloned into {@code .git/modules/data}, with its work tree at
     * {@code path}: what a switch moves when the branch it leaves or the one it goes to may not
     * declare it in the work tree's {@code .gitmodules}. {@code modules} is a {@code .gitmodules}
     * that may declare it (for its URL and branch), or null; without one the module's own
     * {@code origin} is fetched.
     */
    public static DataModule openCloned(MlvRepository repo, String path, Config modules) throws MlvException {
        return declaredIn(repo, modules == null ? new Config() : modules, path);
    }

    private static DataModule declaredIn(MlvRepository repo, Config modules, String pathOverride) throws MlvException {
        String rawUrl = modules.getString("submodule", Submodules.DATA_NAME, "url");
        // .git/config's url wins, as with git (a user may point it at a mirror)
        String configured = repo.git().getConfig().getString("submodule", Submodules.DATA_NAME, "url");
        if (configured == null && rawUrl == null) {
            rawUrl = originOf(repo);
        }
        if (configured == null && rawUrl == null) {
            throw MlvException.notFound("the data submodule declares no URL; add it again with 'mlv data add URL'");
        }
        DataUrl url = DataUrl.parse(configured != null ? configured : rawUrl, repo.workTree());
        String path = pathOverride != null ? pathOverride : modules.getString("submodule", Submodules.DATA_NAME, "path");
        String branch = modules.getString("submodule", Submodules.DATA_NAME, "branch");
        return new DataModule(repo, path == null ? Submodules.DATA_PATH : path, url, branch);
    }

    /** The URL the module was cloned from ({@code remote.origin.url} of .git/modules/data), or null. */
    private static String originOf(MlvRepository repo) throws MlvException {
        Path config = gitDirOf(repo).resolve(Constants.CONFIG);
        if (!Files.isRegularFile(config)) {
            return null;
        }
        FileBasedConfig c = new FileBasedConfig(config.toFile(), FS.DETECTED);
        try {
            c.load();
        } catch (IOException | ConfigInvalidException e) {
            throw new MlvException("cannot read " + config + ": " + e.getMessage(), e);
        }
        return c.getString("remote", REMOTE, "url");
    }

    private static Path gitDirOf(MlvRepository repo) {
        return repo.gitDir().resolve(Constants.MODULES).resolve(Submodules.DATA_NAME);
    }

    /**
     * Whether the data repository was ever cloned into {@code .git/modules/data} (kept when a
     * switch removes the data work tree, and by {@code git submodule deinit}).
     */
    public static boolean isInitialized(MlvRepository repo) {
        return Files.isDirectory(gitDirOf(repo).resolve("objects"));
    }

    /** Whether a submodule work tree (a directory holding a {@code .git}) is at {@code path}. */
    public static boolean hasWorkTreeAt(MlvRepository repo, String path) throws MlvException {
        return Files.exists(repo.workTree().resolve(path).resolve(Constants.DOT_GIT), LinkOption.NOFOLLOW_LINKS);
    }

    public String path() {
        return path;
    }

    public DataUrl url() {
        return url;
    }

    public String branch() {
        return branch;
    }

    Path workTree() {
        return workTree;
    }

    /** Cloned and with its work tree in place. */
    public boolean isCloned() {
        return isInitialized() && hasWorkTree();
    }

    /** Cloned into {@code .git/modules/data}, whether or not its work tree is there. */
    public boolean isInitialized() {
        return Files.isDirectory(gitDir.resolve("objects"));
    }

    public boolean hasWorkTree() {
        return Files.exists(workTree.resolve(Constants.DOT_GIT), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Refuses (CONFLICT, nothing changed) when the path holds a Git repository other than this
     * module's work tree: its {@code .git} is a directory, or a {@code .git} file pointing
     * elsewhere. mlv never writes into, or removes, a repository that is not its own.
     */
    public void refuseForeignWorkTree(String verb) throws MlvException {
        if (hasWorkTree() && !ownsWorkTreeAt(repo, path)) {
            throw new MlvException(ErrorKind.CONFLICT, "cannot " + verb + ": " + path + "/ holds a Git repository that"
                    + " is not the data submodule (.git/modules/" + Submodules.DATA_NAME + "); move it away, then try"
                    + " again; nothing was changed");
        }
    }

    /** Whether {@code path/.git} is a {@code .git} file pointing to {@code .git/modules/data}. */
    public static boolean ownsWorkTreeAt(MlvRepository repo, String path) throws MlvException {
        Path dir = repo.workTree().resolve(path);
        Path dotGit = dir.resolve(Constants.DOT_GIT);
        if (!Files.isRegularFile(dotGit, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try {
            String text = Files.readString(dotGit).strip();
            if (!text.startsWith("gitdir:")) {
                return false;
            }
            Path target = dir.resolve(text.substring("gitdir:".length()).strip()).toAbsolutePath().normalize();
            return target.equals(gitDirOf(repo).toAbsolutePath().normalize());
        } catch (IOException | java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    /**
     * Makes the module ready to check a data commit out, as {@code git submodule update --init}
     * does: cloned when it never was, its work tree attached again when only
     * {@code .git/modules/data} is left (a switch through a branch without data, {@code rm -rf},
     * {@code git submodule deinit}), and configured like the superproject. Returns whether it
     * had to clone.
     */
    public boolean initialize() throws MlvException {
        refuseForeignWorkTree("check the data out");
        boolean cloned = false;
        if (!isInitialized()) {
            cloneRepository();
            cloned = true;
        } else if (!hasWorkTree()) {
            attachWorkTree();
        }
        configure();
        return cloned;
    }

    /**
     * Gives the cloned module its work tree at the path again: the directory, its {@code .git}
     * file and {@code core.worktree} (relative, as git writes them), and an empty index so that
     * the next {@link #checkout} writes every file.
     */
    public void attachWorkTree() throws MlvException {
        closeGit();
        try {
            Files.createDirectories(workTree);
            Path toGitDir = workTree.toAbsolutePath().normalize().relativize(gitDir.toAbsolutePath().normalize());
            Path toWorkTree = gitDir.toAbsolutePath().normalize().relativize(workTree.toAbsolutePath().normalize());
            Files.writeString(workTree.resolve(Constants.DOT_GIT), "gitdir: " + slashes(toGitDir) + "\n");
            FileBasedConfig config = new FileBasedConfig(configFile(), FS.DETECTED);
            config.load();
            config.setString(ConfigConstants.CONFIG_CORE_SECTION, null, ConfigConstants.CONFIG_KEY_WORKTREE, slashes(toWorkTree));
            config.unset(ConfigConstants.CONFIG_CORE_SECTION, null, ConfigConstants.CONFIG_KEY_BARE);
            config.save();
            Files.deleteIfExists(gitDir.resolve("index"));
        } catch (IOException | ConfigInvalidException e) {
            throw new MlvException("cannot set up the data work tree at " + path + "/: " + e.getMessage(), e);
        }
    }

    /**
     * Removes the data work tree (its files and {@code .git} file, as {@code git checkout
     * --recurse-submodules} does for a branch without the submodule) and the module's index,
     * keeping {@code .git/modules/data} so that a later switch or pull brings it back. Symbolic
     * links are removed, not followed.
     */
    public void removeWorkTree() throws MlvException {
        closeGit();
        try {
            if (Files.exists(workTree, LinkOption.NOFOLLOW_LINKS)) {
                try (var paths = Files.walk(workTree)) {
                    for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                        Files.delete(p);
                    }
                }
            }
            Files.deleteIfExists(gitDir.resolve("index"));
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new MlvException("cannot remove the data work tree " + path + "/: " + e.getMessage()
                    + "; remove it by hand ('rm -rf " + path + "'), the data repository stays in .git/modules/"
                    + Submodules.DATA_NAME, e);
        }
    }

    /**
     * Configures the module as the superproject is configured: the filter settings that
     * {@code mlv install}/{@code mlv init} wrote into the superproject's {@code .git/config}, so
     * plain git in the data work tree filters large files through mlv too; and
     * {@code submodule.data.url}/{@code active} in the superproject's config, as
     * {@code git submodule init} writes them.
     */
    public void configure() throws MlvException {
        Path localFile = repo.commonDir().resolve(Constants.CONFIG);
        try {
            String command = new FilterDriverConfig(localFile).installedCommand();
            if (command != null) {
                new FilterDriverConfig(gitDir.resolve(Constants.CONFIG)).install(command);
            }
            // A separate config object: saving the repository's own would persist its in-memory settings.
            FileBasedConfig local = new FileBasedConfig(localFile.toFile(), FS.DETECTED);
            local.load();
            boolean changed = false;
            if (local.getString("submodule", Submodules.DATA_NAME, "url") == null) {
                local.setString("submodule", Submodules.DATA_NAME, "url", url.url());
                changed = true;
            }
            if (!local.getBoolean("submodule", Submodules.DATA_NAME, "active", false)) {
                local.setBoolean("submodule", Submodules.DATA_NAME, "active", true);
                changed = true;
            }
            if (changed) {
                local.save();
            }
        } catch (IOException | ConfigInvalidException e) {
            throw new MlvException("cannot configure the data submodule: " + e.getMessage(), e);
        }
    }

    private static String slashes(Path p) {
        return p.toString().replace(File.separatorChar, '/');
    }

    private void closeGit() {
        if (git != null) {
            git.close();
            git = null;
        }
    }

    public RepoContent content() {
        return content;
    }

    /** The submodule's repository, opened through mlv. */
    public Repository git() throws MlvException {
        if (git == null) {
            try {
                git = MlvGitRepository.open(gitDir, content);
            } catch (IOException e) {
                throw new MlvException("cannot open the data repository at " + gitDir + ": " + e.getMessage()
                        + "; run 'mlv data pull' to check it out again", e);
            }
        }
        return git;
    }

    /** Clones the data repository into {@code .git/modules/data} with the work tree at the path, checking nothing out. */
    public String cloneRepository() throws MlvException {
        checkReachable();
        try {
            Files.createDirectories(workTree());
            var clone = Git.cloneRepository().setURI(url.url()).setDirectory(workTree().toFile())
                    .setGitDir(gitDir.toFile()).setNoCheckout(true);
            if (branch != null) {
                clone.setBranch(branch);
            }
            clone.call().close();
            String checkedOutBranch = git().getBranch();
            String tracked = branch != null ? branch : checkedOutBranch;
            if (git().exactRef(Constants.R_REMOTES + REMOTE + "/" + tracked) == null) {
                throw MlvException.notFound("branch '" + tracked + "' not found in the data repository " + url.url()
                        + "; list its branches with 'git ls-remote --heads " + url.url() + "'");
            }
            return tracked;
        } catch (InvalidRemoteException e) {
            throw MlvException.notFound("the data repository " + url.url() + " was not found (" + e.getMessage()
                    + "); check the URL");
        } catch (TransportException e) {
            throw unreachable(e);
        } catch (GitAPIException | IOException e) {
            throw new MlvException("cannot clone the data repository " + url.url() + ": " + e.getMessage(), e);
        }
    }

    /** Fetches the data repository's branches and tags. */
    public void fetch() throws MlvException {
        checkReachable();
        try (Git g = new Git(git())) {
            g.fetch().setRemote(url.url())
                    .setRefSpecs("+" + Constants.R_HEADS + "*:" + Constants.R_REMOTES + REMOTE + "/*")
                    .call();
        } catch (InvalidRemoteException e) {
            throw MlvException.notFound("the data repository " + url.url() + " was not found (" + e.getMessage()
                    + "); check the URL in .gitmodules");
        } catch (TransportException e) {
            throw unreachable(e);
        } catch (GitAPIException e) {
            throw new MlvException("cannot fetch the data repository " + url.url() + ": " + e.getMessage(), e);
        }
    }

    private void checkReachable() throws MlvException {
        if (url.isLocal() && url.localGitDir() == null) {
            throw MlvException.notFound("the data repository " + url.url() + " does not exist or is not a Git repository;"
                    + " check the path (or fix submodule.data.url in .gitmodules)");
        }
    }

    private MlvException unreachable(TransportException e) {
        if (url.isLocal()) {
            return MlvException.notFound("cannot read the data repository " + url.url() + ": " + e.getMessage());
        }
        return new MlvException(ErrorKind.REMOTE_UNREACHABLE, "cannot reach the data repository " + url.url() + " ("
                + e.getMessage() + "); check the network and the URL, then try again; nothing was changed", e);
    }

    /** The branch {@code data pull} follows: {@code .gitmodules}' {@code branch}, else main or master. */
    public String trackedBranch() throws MlvException, IOException {
        if (branch != null) {
            return branch;
        }
        for (String candidate : List.of("main", "master")) {
            if (git().exactRef(Constants.R_REMOTES + REMOTE + "/" + candidate) != null) {
                return candidate;
            }
        }
        return null;
    }

    /** The tip of the tracked branch as last fetched, or null. */
    public ObjectId upstream() throws MlvException, IOException {
        String tracked = trackedBranch();
        return tracked == null ? null : git().resolve(Constants.R_REMOTES + REMOTE + "/" + tracked + "^{commit}");
    }

    /** Resolves a revision of the data repository: a branch as fetched, a tag, or a commit id. */
    public RevCommit resolve(String rev) throws MlvException, IOException {
        Repository g = git();
        ObjectId id = rev == null ? upstream() : g.resolve(Constants.R_REMOTES + REMOTE + "/" + rev + "^{commit}");
        if (id == null && rev != null) {
            try {
                id = g.resolve(rev + "^{commit}");
            } catch (org.eclipse.jgit.errors.RevisionSyntaxException | org.eclipse.jgit.errors.AmbiguousObjectException e) {
                throw MlvException.usage("'" + rev + "' is not a valid revision of the data repository");
            }
        }
        if (id == null) {
            throw MlvException.notFound(rev == null
                    ? "the data repository has no branch '" + (branch == null ? "main" : branch) + "'; pick a revision with --rev REV"
                    : "no branch, tag or commit '" + rev + "' in the data repository " + url.url());
        }
        try (RevWalk walk = new RevWalk(g)) {
            return walk.parseCommit(id);
        }
    }

    /** Whether the data repository holds this commit. */
    public boolean has(ObjectId commit) throws MlvException {
        try {
            return git().getObjectDatabase().has(commit);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Makes sure the store holds the content of every large file of {@code commit}: copied from
     * the data repository's own store when it is a local path, and what is still missing
     * downloaded from the store remote that {@code commit}'s {@code .mlv/config.json} declares (a
     * data repository on a Git host keeps its content there). NOT_FOUND, changing nothing in the
     * work tree, when content is still missing. Returns the number of files brought in.
     */
    public int importContent(RevCommit commit) throws MlvException, IOException {
        List<WorkTreeSync.Needed> needed;
        try (ObjectReader reader = git().newObjectReader()) {
            needed = WorkTreeSync.largeFilesToWrite(reader, null, commit.getTree());
        }
        List<WorkTreeSync.Needed> absent = new ArrayList<>();
        int copied = 0;
        Path source = url.localStore();
        ChunkStore from = null;
        try {
            for (WorkTreeSync.Needed n : needed) {
                if (content.has(n.pointer().oid())) {
                    continue;
                }
                if (source != null) {
                    from = from != null ? from : ChunkStore.open(source);
                    try (InputStream in = from.open(n.pointer().oid())) {
                        content.put(in);
                        copied++;
                        continue;
                    } catch (ContentNotFoundException e) {
                        // tried below on the store remote, else reported with the others
                    }
                }
                absent.add(n);
            }
        } finally {
            if (from != null) {
                from.close();
            }
        }
        StoreRemote remote = null;
        if (!absent.isEmpty()) {
            MlvConfig config = configAt(commit);
            remote = config == null ? null : StoreRemote.pick(config, null);
            if (remote != null) {
                Set<Oid> oids = new LinkedHashSet<>();
                absent.forEach(n -> oids.add(n.pointer().oid()));
                try (ContentRemote r = ContentRemote.open(content, gitDir, workTree(), config, remote, null)) {
                    copied += (int) r.download(oids, ProgressListener.NONE).files();
                } catch (MlvException e) {
                    if (e.kind() != ErrorKind.NOT_FOUND) {
                        throw e;
                    }
                    // reported below, with every file still missing
                }
                List<WorkTreeSync.Needed> still = new ArrayList<>();
                for (WorkTreeSync.Needed n : absent) {
                    if (!content.has(n.pointer().oid())) {
                        still.add(n);
                    }
                }
                absent = still;
            }
        }
        if (!absent.isEmpty()) {
            List<String> missing = new ArrayList<>();
            absent.forEach(n -> missing.add(n.path() + " (sha256:" + n.pointer().oid().hex().substring(0, 12) + ")"));
            throw MlvException.notFound("the content of " + missing.size() + " large file(s) of data commit "
                    + commit.abbreviate(12).name() + " is not available: " + WorkTreeSync.summary(missing)
                    + (remote != null ? "; the data repository's store remote '" + remote.name() + "' (" + remote.url()
                    + ") lacks it too: push it from the data repository"
                    : url.isLocal() ? "; the data repository's store lacks it, run 'mlv store verify' there"
                    : "; the data commit declares no store remote in " + MlvConfig.PATH + " to fetch it from: set one"
                    + " in the data repository ('mlv store remote set origin URL') and push")
                    + "; nothing was changed");
        }
        return copied;
    }

    /** The data repository's mlv configuration as of {@code commit}, or null when it has none. */
    private MlvConfig configAt(RevCommit commit) throws MlvException, IOException {
        try (org.eclipse.jgit.treewalk.TreeWalk tw = org.eclipse.jgit.treewalk.TreeWalk.forPath(git(), MlvConfig.PATH,
                commit.getTree())) {
            if (tw == null) {
                return null;
            }
            return MlvConfig.parse(git().open(tw.getObjectId(0)).getBytes(64 * 1024),
                    MlvConfig.PATH + " of data commit " + commit.abbreviate(12).name());
        }
    }

    /** Paths with uncommitted changes in the data work tree (untracked files included). */
    public List<String> dirtyPaths() throws MlvException {
        if (!isCloned()) {
            return List.of();
        }
        try (Git g = new Git(git())) {
            var status = g.status().call();
            List<String> paths = new ArrayList<>(status.getUncommittedChanges());
            paths.addAll(status.getUntracked());
            return paths.stream().sorted().toList();
        } catch (GitAPIException e) {
            throw new MlvException("cannot read the status of " + path + "/: " + e.getMessage(), e);
        }
    }

    public void refuseIfDirty(String verb) throws MlvException {
        List<String> dirty = dirtyPaths();
        if (!dirty.isEmpty()) {
            throw new MlvException("cannot " + verb + ": " + path + "/ has uncommitted changes ("
                    + WorkTreeSync.summary(dirty) + "); commit them in the data repository, or discard them with"
                    + " 'git -C " + path + " checkout -- . && git -C " + path + " clean -fd'; nothing was changed");
        }
    }

    /** The commit checked out in the data work tree, or null. */
    public ObjectId head() throws MlvException, IOException {
        return isCloned() ? git().resolve(Constants.HEAD) : null;
    }

    /** Checks {@code commit} out, detached, writing large files from the store. */
    public void checkout(RevCommit commit) throws MlvException {
        Repository g = git();
        try {
            ObjectId headTree = g.resolve(Constants.HEAD + "^{tree}");
            DirCache dc = g.lockDirCache();
            try {
                DirCacheCheckout co = headTree == null || dc.getEntryCount() == 0
                        ? new DirCacheCheckout(g, dc, commit.getTree())
                        : new DirCacheCheckout(g, headTree, dc, commit.getTree());
                co.setFailOnConflict(true);
                co.checkout();
            } finally {
                dc.unlock();
            }
            RefUpdate u = g.updateRef(Constants.HEAD, true);
            u.setNewObjectId(commit);
            u.setRefLogMessage("mlv: check out data " + commit.name(), false);
            u.forceUpdate();
        } catch (org.eclipse.jgit.errors.CheckoutConflictException e) {
            throw new MlvException(ErrorKind.CONFLICT, "checking out data commit " + commit.abbreviate(12).name()
                    + " would overwrite files in " + path + "/: " + e.getMessage() + "; move them away and try again");
        } catch (IOException e) {
            throw new MlvException("cannot check out data commit " + commit.abbreviate(12).name() + " in " + path
                    + "/: " + e.getMessage(), e);
        }
    }

    /** Removes a half-made clone (after a failed {@code data add}). */
    public void deleteClone() {
        close();
        Scratch.deleteQuietly(gitDir);
        Scratch.deleteQuietly(workTree());
        try {
            Files.deleteIfExists(gitDir.getParent());
        } catch (IOException notEmpty) {
            // other modules live there: keep it
        }
    }

    /** The module's own {@code config}, for settings git reads in the submodule. */
    public File configFile() {
        return gitDir.resolve(Constants.CONFIG).toFile();
    }

    @Override
    public void close() {
        closeGit();
        content.close();
    }
}
