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
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * An mlv repository: a Git repository with {@code .mlv/config.json} in its work tree and a chunk
 * store under {@code .git/mlv/store}. Opened once per command; operations take it as their
 * first argument. Closing it releases the Git repository and the store.
 */
public final class MlvRepository implements AutoCloseable {
    /** Files committed to Git directly (not tracked) are read into memory up to this size. */
    private static final int MAX_BLOB_BYTES = 256 << 20;

    private final Path workTree;
    private final Path gitDir;
    private final Session session;
    private final RepoContent content;
    private final MlvGitRepository git;
    private MlvConfig config;

    private MlvRepository(Path workTree, Path gitDir, Session session) throws IOException {
        this.workTree = workTree;
        this.gitDir = gitDir;
        this.session = session;
        this.content = new RepoContent(gitDir.resolve("mlv").resolve("store"), gitDir.resolve("mlv").resolve("lock"));
        this.git = MlvGitRepository.open(gitDir, content);
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
     * Opens the mlv repository that contains {@code start} (searching upwards, like git).
     *
     * @throws MlvException NOT_FOUND when there is none
     */
    public static MlvRepository open(Path start, Session session) throws MlvException {
        Path dir = start.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw MlvException.notFound("directory " + dir + " does not exist");
        }
        Path gitDir = MlvGitRepository.findGitDir(dir);
        if (gitDir == null) {
            throw MlvException.notFound("not in a Git repository: " + dir + "; create one with 'mlv init'");
        }
        Path workTree = gitDir.getParent();
        if (!gitDir.getFileName().toString().equals(".git") || workTree == null) {
            throw MlvException.usage("the repository at " + gitDir + " has no work tree; run mlv inside a clone with a work tree");
        }
        if (!Files.exists(workTree.resolve(MlvConfig.PATH)) && !Files.isDirectory(gitDir.resolve("mlv"))) {
            throw MlvException.notFound(workTree + " is a Git repository but not an mlv repository; adopt it with 'mlv init'");
        }
        try {
            MlvRepository repo = new MlvRepository(workTree, gitDir, session);
            repo.config = MlvConfig.read(workTree);
            return repo;
        } catch (IOException e) {
            throw new MlvException("cannot open the repository at " + workTree + ": " + e.getMessage(), e);
        }
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
            MlvRepository repo = new MlvRepository(workTree, workTree.resolve(".git"), session);
            repo.config = MlvConfig.read(workTree);
            return repo;
        } catch (IOException e) {
            throw new MlvException("cannot open the repository at " + workTree + ": " + e.getMessage(), e);
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

    /** Resolves a committed file once: its commit, oid and size, and a way to read it. */
    public RepoFile file(String ref, String path) throws MlvException {
        String clean = Cat.split(":" + path)[1];
        try (RevWalk walk = new RevWalk(git); ObjectReader reader = git.newObjectReader()) {
            RevCommit commit = Revisions.commit(git, walk, ref);
            try (TreeWalk tw = TreeWalk.forPath(reader, clean, commit.getTree())) {
                if (tw == null || tw.getFileMode(0) == FileMode.TREE || tw.getFileMode(0) == FileMode.GITLINK) {
                    throw MlvException.notFound("'" + clean + "' is not a file in " + ref + " (" + commit.abbreviate(12).name() + ")");
                }
                Pointer pointer = Pointers.read(reader, tw.getObjectId(0));
                if (pointer != null) {
                    return new RepoFile(this, commit.name(), clean, pointer.oid().hex(), pointer.size(), true, null);
                }
                ObjectLoader loader = reader.open(tw.getObjectId(0));
                if (loader.getSize() > MAX_BLOB_BYTES) {
                    throw new MlvException("'" + clean + "' in " + ref + " is a " + loader.getSize()
                            + "-byte file committed to Git directly; track it with 'mlv track' to read it through mlv");
                }
                return new RepoFile(this, commit.name(), clean, tw.getObjectId(0).name(), loader.getSize(), false,
                        loader.getCachedBytes(MAX_BLOB_BYTES));
            }
        } catch (IOException e) {
            throw new MlvException("cannot read " + ref + ":" + clean + ": " + e.getMessage(), e);
        }
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

    public Path workTree() {
        return workTree;
    }

    public Path gitDir() {
        return gitDir;
    }

    public Session session() {
        return session;
    }

    public MlvConfig config() {
        return config;
    }

    public void reloadConfig() throws MlvException {
        config = MlvConfig.read(workTree);
    }

    public Repository git() {
        return git;
    }

    public MlvGitRepository gitRepository() {
        return git;
    }

    public RepoContent content() {
        return content;
    }

    @Override
    public void close() {
        git.close();
        content.close();
    }
}
