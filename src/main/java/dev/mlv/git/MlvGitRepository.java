package dev.mlv.git;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.internal.storage.file.FileRepository;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * A JGit file repository that carries mlv's content store, so that the built-in clean and smudge
 * filters registered in {@link LargeFileFilters} find it. The {@code mlv} filter driver is switched
 * to JGit's in-process filters in this repository's in-memory config only: plain {@code git} keeps
 * using the {@code filter.mlv.process} setting in {@code .git/config}.
 */
public final class MlvGitRepository extends FileRepository {
    private final ContentStore contentStore;
    private volatile IndexLockListener indexLockListener;

    /** Told each time this repository takes Git's index lock, with the lock file's path. */
    public interface IndexLockListener {
        void locked(Path lockFile) throws IOException;
    }

    private MlvGitRepository(FileRepositoryBuilder builder, ContentStore contentStore) throws IOException {
        super(builder);
        this.contentStore = contentStore;
        useBuiltinFilters(super.getConfig());
        LargeFileFilters.register();
    }

    /**
     * The repository's config, with the {@code mlv} driver switched to JGit's in-process filters.
     * JGit reloads the config when {@code .git/config} changes on disk ({@code mlv install}, or git
     * itself, while this repository is open), which drops in-memory settings: set it again then,
     * or JGit would stage large files raw.
     */
    @Override
    public FileBasedConfig getConfig() {
        FileBasedConfig config = super.getConfig();
        if (!config.getBoolean(ConfigConstants.CONFIG_FILTER_SECTION, LargeFileFilters.DRIVER,
                ConfigConstants.CONFIG_KEY_USEJGITBUILTIN, false)) {
            useBuiltinFilters(config);
        }
        return config;
    }

    private static void useBuiltinFilters(FileBasedConfig config) {
        config.setBoolean(ConfigConstants.CONFIG_FILTER_SECTION, LargeFileFilters.DRIVER,
                ConfigConstants.CONFIG_KEY_USEJGITBUILTIN, true);
    }

    /** Opens the repository whose git directory is {@code gitDir}. */
    public static MlvGitRepository open(Path gitDir, ContentStore contentStore) throws IOException {
        FileRepositoryBuilder builder = new FileRepositoryBuilder();
        builder.setGitDir(gitDir.toFile()).setMustExist(true);
        builder.setup();
        return new MlvGitRepository(builder, contentStore);
    }

    /** Opens the repository at {@code location}: a work tree (main or linked) or a bare repository. */
    public static MlvGitRepository open(Location location, ContentStore contentStore) throws IOException {
        FileRepositoryBuilder builder = new FileRepositoryBuilder();
        builder.setGitDir(location.gitDir().toFile()).setGitCommonDir(location.commonDir().toFile()).setMustExist(true);
        if (location.bare()) {
            builder.setBare();
        } else {
            builder.setWorkTree(location.workTree().toFile());
        }
        builder.setup();
        return new MlvGitRepository(builder, contentStore);
    }

    /**
     * Where a repository's parts live. {@code gitDir} holds what is private to one work tree (HEAD,
     * the index); {@code commonDir} what all work trees share (objects, refs, config, and mlv's
     * store). They differ only for a linked work tree ({@code git worktree add}), whose git
     * directory is {@code <commonDir>/worktrees/<name>}.
     *
     * @param workTree  the work tree, null for a bare repository
     * @param gitDir    the git directory
     * @param commonDir the directory shared with the main work tree (equal to {@code gitDir} unless linked)
     */
    public record Location(Path workTree, Path gitDir, Path commonDir) {
        public boolean bare() {
            return workTree == null;
        }
    }

    /**
     * Finds the repository containing {@code start}, searching upwards like git: a work tree, a
     * linked work tree or a bare repository. Null when there is none.
     */
    public static Location find(Path start) throws IOException {
        FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(start.toFile());
        return builder.getGitDir() == null ? null : locate(builder);
    }

    /** The location of the repository whose git directory is {@code gitDir} (from its config and files). */
    public static Location at(Path gitDir) throws IOException {
        return locate(new FileRepositoryBuilder().setGitDir(gitDir.toFile()));
    }

    /**
     * The directory {@code gitDir} shares with the main work tree: what its {@code commondir} file
     * names (a linked work tree's), else {@code gitDir} itself.
     */
    public static Path commonDir(Path gitDir) throws IOException {
        Path file = gitDir.resolve("commondir");
        if (!Files.isRegularFile(file)) {
            return gitDir;
        }
        return gitDir.resolve(Files.readString(file, StandardCharsets.UTF_8).strip()).toAbsolutePath().normalize();
    }

    private static Location locate(FileRepositoryBuilder builder) throws IOException {
        builder.setup();
        Path gitDir = builder.getGitDir().toPath().toAbsolutePath().normalize();
        File common = builder.getGitCommonDir();
        return new Location(builder.isBare() ? null : builder.getWorkTree().toPath().toAbsolutePath().normalize(), gitDir,
                common == null ? gitDir : common.toPath().toAbsolutePath().normalize());
    }

    /**
     * Finds the git directory for a path inside a work tree (searching upwards, like git), or null
     * when there is none.
     */
    public static Path findGitDir(Path start) {
        FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(start.toFile());
        File dir = builder.getGitDir();
        return dir == null ? null : dir.toPath();
    }

    /**
     * Sets (or, with null, clears) the listener told of each index lock this repository takes, by
     * mlv's stager or JGit's commit, checkout and reset alike: they all lock through here.
     */
    public void setIndexLockListener(IndexLockListener listener) {
        this.indexLockListener = listener;
    }

    @Override
    public DirCache lockDirCache() throws IOException {
        DirCache dc = super.lockDirCache();
        IndexLockListener listener = indexLockListener;
        if (listener != null) {
            try {
                listener.locked(getIndexFile().toPath().resolveSibling(getIndexFile().getName() + ".lock"));
            } catch (IOException | RuntimeException e) {
                dc.unlock();
                throw e;
            }
        }
        return dc;
    }

    public ContentStore contentStore() {
        return contentStore;
    }
}
