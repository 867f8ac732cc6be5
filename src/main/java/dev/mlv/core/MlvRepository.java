package dev.mlv.core;

import dev.mlv.git.MlvGitRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.lib.Repository;

/**
 * An mlv repository: a Git repository with {@code .mlv/config.json} in its work tree and a chunk
 * store under {@code .git/mlv/store}. Opened once per command; operations take it as their
 * first argument. Closing it releases the Git repository and the store.
 */
public final class MlvRepository implements AutoCloseable {
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

    /** Opens a repository known to exist at {@code workTree} (used right after init). */
    static MlvRepository openAt(Path workTree, Session session) throws MlvException {
        try {
            MlvRepository repo = new MlvRepository(workTree, workTree.resolve(".git"), session);
            repo.config = MlvConfig.read(workTree);
            return repo;
        } catch (IOException e) {
            throw new MlvException("cannot open the repository at " + workTree + ": " + e.getMessage(), e);
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

    void reloadConfig() throws MlvException {
        config = MlvConfig.read(workTree);
    }

    Repository git() {
        return git;
    }

    MlvGitRepository gitRepository() {
        return git;
    }

    RepoContent content() {
        return content;
    }

    @Override
    public void close() {
        git.close();
        content.close();
    }
}
