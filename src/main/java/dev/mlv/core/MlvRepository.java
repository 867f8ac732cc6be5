package dev.mlv.core;

import dev.mlv.core.internal.Branches;
import dev.mlv.core.internal.ContentRemote;
import dev.mlv.core.internal.Pointers;
import dev.mlv.core.internal.RepoContent;
import dev.mlv.core.internal.Revisions;
import dev.mlv.core.workspace.Cat;
import dev.mlv.git.MlvGitRepository;
import dev.mlv.store.Pointer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;

/**
 * An mlv repository: a Git repository with {@code .mlv/config.json} committed and a chunk store
 * under {@code mlv/store} of its Git directory. It may have a work tree, be a linked work tree
 * ({@code git worktree add}; the store is then the main repository's), or be bare (a server-side
 * repository or a {@code git clone --bare}; the configuration then comes from the commit HEAD
 * names). Opened once per command; operations take it as their first argument. Closing it
 * releases the Git repository and the store.
 */
public final class MlvRepository implements AutoCloseable {
    private final MlvGitRepository.Location location;
    private final Session session;
    private final RepoContent content;
    private final MlvGitRepository git;
    private MlvConfig config;

    private MlvRepository(MlvGitRepository.Location location, Session session) throws IOException {
        this.location = location;
        this.session = session;
        Path mlvDir = location.commonDir().resolve("mlv");
        this.content = new RepoContent(mlvDir.resolve("store"), mlvDir.resolve("lock"));
        this.git = MlvGitRepository.open(location, content);
        content.setFetcher(this::fetchLazily);
    }

    /** Lazy content: a file missing locally is fetched from the default store remote, if any. */
    private boolean fetchLazily(java.util.Collection<dev.mlv.store.Oid> oids) throws IOException {
        try {
            return ContentRemote.fetchMissing(this, oids);
        } catch (MlvException e) {
            throw new LazyFetchException(e);
        }
    }

    /** Carries an {@link MlvException} through the filters' IOException-only interfaces. */
    public static final class LazyFetchException extends IOException {
        private static final long serialVersionUID = 1L;

        LazyFetchException(MlvException cause) {
            super(cause.getMessage(), cause);
        }

        public MlvException mlv() {
            return (MlvException) getCause();
        }
    }

    /**
     * Opens the mlv repository that contains {@code start} (searching upwards, like git): a work
     * tree, a linked work tree or a bare repository.
     *
     * @throws MlvException NOT_FOUND when there is none
     */
    public static MlvRepository open(Path start, Session session) throws MlvException {
        Path dir = start.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw MlvException.notFound("directory " + dir + " does not exist");
        }
        MlvGitRepository.Location location;
        try {
            location = MlvGitRepository.find(dir);
        } catch (IOException | IllegalArgumentException e) {
            throw new MlvException("cannot open the Git repository containing " + dir + ": " + e.getMessage(), e);
        }
        if (location == null) {
            throw MlvException.notFound("not in a Git repository: " + dir + "; create one with 'mlv init'");
        }
        MlvRepository repo = openAt(location, session);
        if (!repo.isMlv()) {
            repo.close();
            throw MlvException.notFound(location.bare()
                    ? location.gitDir() + " is a bare Git repository without mlv content (no " + MlvConfig.PATH
                            + " in HEAD); push an mlv repository to it first"
                    : location.workTree() + " is a Git repository but not an mlv repository; adopt it with 'mlv init'");
        }
        return repo;
    }

    /**
     * Opens the mlv repository that contains {@code start}, with the system clock and this
     * process's environment variables (for library use; commands pass their own {@link Session}).
     */
    public static MlvRepository open(Path start) throws MlvException {
        return open(start, new Session(Clock.systemDefaultZone(), System.getenv()));
    }

    /** Opens a repository known to exist at {@code workTree} (used right after init). */
    public static MlvRepository openAt(Path workTree, Session session) throws MlvException {
        try {
            return openAt(MlvGitRepository.at(workTree.resolve(Constants.DOT_GIT)), session);
        } catch (IOException | IllegalArgumentException e) {
            throw new MlvException("cannot open the repository at " + workTree + ": " + e.getMessage(), e);
        }
    }

    private static MlvRepository openAt(MlvGitRepository.Location location, Session session) throws MlvException {
        MlvRepository repo;
        try {
            repo = new MlvRepository(location, session);
        } catch (IOException | IllegalArgumentException e) {
            throw new MlvException("cannot open the repository at " + location.gitDir() + ": " + e.getMessage(), e);
        }
        try {
            repo.reloadConfig();
            return repo;
        } catch (MlvException e) {
            repo.close();
            throw e;
        }
    }

    /** Whether this is an mlv repository: it has a store, or its configuration (in the work tree, or committed in HEAD). */
    private boolean isMlv() throws MlvException {
        if (Files.isDirectory(location.commonDir().resolve("mlv"))) {
            return true;
        }
        if (location.workTree() != null) {
            return Files.exists(location.workTree().resolve(MlvConfig.PATH));
        }
        return committedConfig() != null;
    }

    /** The bytes of {@code .mlv/config.json} in the commit HEAD names; null when HEAD is unborn or has none. */
    private byte[] committedConfig() throws MlvException {
        try (RevWalk walk = new RevWalk(git)) {
            ObjectId head = git.resolve(Constants.HEAD);
            if (head == null) {
                return null;
            }
            RevCommit commit = walk.parseCommit(head);
            try (TreeWalk tw = TreeWalk.forPath(git, MlvConfig.PATH, commit.getTree())) {
                return tw == null ? null : git.open(tw.getObjectId(0), Constants.OBJ_BLOB).getBytes(MlvConfig.MAX_BYTES);
            }
        } catch (IOException e) {
            throw new MlvException("cannot read " + MlvConfig.PATH + " from HEAD in " + location.gitDir() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Streams a committed file's real content: {@code ref} is a branch, tag or commit id, large
     * files are rebuilt from the store and checked against their oid.
     *
     * @throws MlvException NOT_FOUND for an unknown ref or path, or content missing from the store
     */
    public InputStream open(String ref, String path) throws MlvException {
        return file(ref, path).open();
    }

    /** Random access to a committed file; a read touches only the store chunks it covers. */
    public SeekableByteChannel openChannel(String ref, String path) throws MlvException {
        return file(ref, path).openChannel();
    }

    /**
     * Resolves a committed file once: its commit, oid and size, and a way to read it.
     *
     * @throws MlvException NOT_FOUND for an unknown ref, or a path that is not a file in it
     */
    public RepoFile file(String ref, String path) throws MlvException {
        String clean = Cat.split(":" + path)[1];
        try (RevWalk walk = new RevWalk(git); ObjectReader reader = git.newObjectReader()) {
            RevCommit commit = Revisions.commit(git, walk, ref);
            try (TreeWalk tw = TreeWalk.forPath(reader, clean, commit.getTree())) {
                if (tw == null || tw.getFileMode(0).getObjectType() != Constants.OBJ_BLOB) {
                    throw MlvException.notFound("'" + clean + "' is not a file in " + ref + " (" + commit.abbreviate(12).name() + ")");
                }
                return resolve(reader, commit, clean, tw.getObjectId(0));
            }
        } catch (IOException e) {
            throw new MlvException("cannot read " + ref + ":" + clean + ": " + e.getMessage(), e);
        }
    }

    /**
     * The files of {@code ref} under {@code prefix}, in path order: {@code prefix} is a directory
     * ({@code models} or {@code models/}), one file's path, or {@code ""} for every file. Symbolic
     * links and submodules are left out; an absent prefix lists nothing. Nothing is read but the
     * tree and the pointers: open a file to read its content.
     *
     * @throws MlvException NOT_FOUND for an unknown ref, USAGE for a prefix leaving the repository
     */
    public List<RepoFile> list(String ref, String prefix) throws MlvException {
        String clean = prefix.isEmpty() || prefix.equals("/") ? "" : Cat.split(":" + prefix)[1];
        while (clean.endsWith("/")) {
            clean = clean.substring(0, clean.length() - 1);
        }
        try (RevWalk walk = new RevWalk(git); ObjectReader reader = git.newObjectReader(); TreeWalk tw = new TreeWalk(reader)) {
            RevCommit commit = Revisions.commit(git, walk, ref);
            tw.addTree(commit.getTree());
            tw.setRecursive(true);
            if (!clean.isEmpty()) {
                tw.setFilter(PathFilter.create(clean));
            }
            List<RepoFile> files = new ArrayList<>();
            while (tw.next()) {
                FileMode mode = tw.getFileMode(0);
                if (mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE) {
                    files.add(resolve(reader, commit, tw.getPathString(), tw.getObjectId(0)));
                }
            }
            return List.copyOf(files);
        } catch (IOException e) {
            throw new MlvException("cannot list " + ref + (clean.isEmpty() ? "" : ":" + clean) + ": " + e.getMessage(), e);
        }
    }

    /** A blob of a commit as a file: a pointer names large content in the store, anything else is the content. */
    private RepoFile resolve(ObjectReader reader, RevCommit commit, String path, ObjectId blob) throws IOException {
        Pointer pointer = Pointers.read(reader, blob);
        if (pointer != null) {
            return new RepoFile(this, commit.name(), path, pointer.oid().hex(), pointer.size(), true);
        }
        return new RepoFile(this, commit.name(), path, blob.name(), reader.getObjectSize(blob, Constants.OBJ_BLOB), false);
    }

    /** Like {@link #file}, but {@code branch} must name a branch (no tags, ids or expressions). */
    public RepoFile branchFile(String branch, String path) throws MlvException {
        Branches.checkName(branch);
        return file(Branches.refName(branch), path);
    }

    /** Chunks read from the store by this repository so far (a diagnostic for range reads). */
    public long chunkReads() throws MlvException {
        try {
            return content.store().chunkReads();
        } catch (IOException e) {
            throw new MlvException("cannot open the store: " + e.getMessage(), e);
        }
    }

    /**
     * The work tree.
     *
     * @throws MlvException USAGE for a bare repository, which has none
     */
    public Path workTree() throws MlvException {
        if (location.bare()) {
            throw MlvException.usage(location.gitDir() + " is a bare repository; run this in a clone with a work tree");
        }
        return location.workTree();
    }

    /** Whether the repository is bare: no work tree, configuration from HEAD's commit. */
    public boolean isBare() {
        return location.bare();
    }

    /** Where the repository was found: its work tree, or the directory of a bare repository. */
    public Path directory() {
        return location.bare() ? location.gitDir() : location.workTree();
    }

    /** The Git directory of this work tree (for a linked work tree, its own under the main one's). */
    public Path gitDir() {
        return location.gitDir();
    }

    /** The Git directory all work trees share: objects, refs, config and mlv's store live here. */
    public Path commonDir() {
        return location.commonDir();
    }

    public Session session() {
        return session;
    }

    /** The repository configuration: the work tree's {@code .mlv/config.json}, or HEAD's when bare. */
    public MlvConfig config() {
        return config;
    }

    public void reloadConfig() throws MlvException {
        if (!location.bare()) {
            config = MlvConfig.read(location.workTree());
            return;
        }
        byte[] committed = committedConfig();
        config = committed == null ? MlvConfig.defaults() : MlvConfig.parse(committed, MlvConfig.PATH + " in HEAD");
    }

    /** The Git repository, for mlv's own operations; not part of the library API (docs/api.md). */
    public Repository git() {
        return git;
    }

    /** The Git repository with mlv's filters, for mlv's own operations; not part of the library API. */
    public MlvGitRepository gitRepository() {
        return git;
    }

    /** The local content store, for mlv's own operations; not part of the library API. */
    public RepoContent content() {
        return content;
    }

    @Override
    public void close() {
        git.close();
        content.close();
    }
}
