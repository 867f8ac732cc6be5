package dev.mlv.git;

import java.io.File;
import java.io.IOException;
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
