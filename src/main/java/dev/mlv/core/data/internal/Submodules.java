package dev.mlv.core.data.internal;

import java.io.File;
import java.io.IOException;
import java.time.Instant;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.errors.ConfigInvalidException;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.submodule.SubmoduleWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.util.FS;

/**
 * The data submodule: the submodule named {@code data} in {@code .gitmodules} (its path is
 * {@code data/} unless {@code mlv data add URL PATH} chose another), or a gitlink at {@code data}.
 */
public final class Submodules {
    public static final String DATA_PATH = "data";
    public static final String DATA_NAME = "data";
    public static final String GITMODULES = Constants.DOT_GIT_MODULES;

    private Submodules() {
    }

    /** The data submodule's path in the work tree's {@code .gitmodules}; {@code data} when none is declared. */
    public static String dataPath(Repository git) throws IOException {
        File file = new File(git.getWorkTree(), GITMODULES);
        if (!file.isFile()) {
            return DATA_PATH;
        }
        FileBasedConfig config = new FileBasedConfig(file, FS.DETECTED);
        try {
            config.load();
        } catch (ConfigInvalidException e) {
            throw new IOException(GITMODULES + " cannot be parsed: " + e.getMessage(), e);
        }
        return pathIn(config);
    }

    /** The data submodule's path as declared in a commit's {@code .gitmodules}. */
    public static String dataPath(ObjectReader reader, RevCommit commit) throws IOException {
        Config config = modules(reader, commit);
        return config == null ? DATA_PATH : pathIn(config);
    }

    /** A commit's {@code .gitmodules}, parsed; null when it has none. */
    public static Config modules(ObjectReader reader, RevCommit commit) throws IOException {
        try (TreeWalk tw = TreeWalk.forPath(reader, GITMODULES, commit.getTree())) {
            if (tw == null) {
                return null;
            }
            Config config = new Config();
            try {
                config.fromText(new String(reader.open(tw.getObjectId(0)).getBytes(), java.nio.charset.StandardCharsets.UTF_8));
            } catch (ConfigInvalidException e) {
                throw new IOException(GITMODULES + " of " + commit.name() + " cannot be parsed: " + e.getMessage(), e);
            }
            return config;
        }
    }

    /** The paths of every submodule the work tree's {@code .gitmodules} declares. */
    public static java.util.Set<String> declaredPaths(Repository git) throws IOException {
        java.util.Set<String> paths = new java.util.TreeSet<>();
        File file = new File(git.getWorkTree(), GITMODULES);
        if (!file.isFile()) {
            return paths;
        }
        FileBasedConfig config = new FileBasedConfig(file, FS.DETECTED);
        try {
            config.load();
        } catch (ConfigInvalidException e) {
            throw new IOException(GITMODULES + " cannot be parsed: " + e.getMessage(), e);
        }
        for (String name : config.getSubsections("submodule")) {
            String path = config.getString("submodule", name, "path");
            if (path != null && !path.isBlank()) {
                paths.add(path.replaceAll("/+$", ""));
            }
        }
        return paths;
    }

    private static String pathIn(Config config) {
        String path = config.getString("submodule", DATA_NAME, "path");
        return path == null || path.isBlank() ? DATA_PATH : path;
    }

    /** The data commit pinned in the index, or null when there is no data submodule. */
    public static String dataCommit(Repository git) throws IOException {
        return dataCommit(git, git.readDirCache());
    }

    /** As {@link #dataCommit(Repository)}, in an index already read. */
    public static String dataCommit(Repository git, DirCache index) throws IOException {
        DirCacheEntry entry = index.getEntry(dataPath(git));
        if (entry == null || entry.getFileMode() != FileMode.GITLINK) {
            return null;
        }
        return entry.getObjectId().name();
    }

    /**
     * The data commit the next commit records: the submodule's checked-out commit (what staging
     * writes into the gitlink), else the index's; null when there is no data submodule.
     */
    public static String dataCommitToRecord(Repository git) throws IOException {
        return dataCommitToRecord(git, git.readDirCache());
    }

    /** As {@link #dataCommitToRecord(Repository)}, with the index already read. */
    public static String dataCommitToRecord(Repository git, DirCache index) throws IOException {
        String pinned = dataCommit(git, index);
        if (pinned == null) {
            return null;
        }
        String checkedOut = checkedOut(git, dataPath(git));
        return checkedOut != null ? checkedOut : pinned;
    }

    /** The commit checked out in the submodule at {@code path}, or null when it is not checked out. */
    public static String checkedOut(Repository git, String path) throws IOException {
        try (Repository sub = SubmoduleWalk.getSubmoduleRepository(git, path)) {
            if (sub == null) {
                return null;
            }
            ObjectId id = sub.resolve(Constants.HEAD);
            return id == null ? null : id.name();
        }
    }

    /** The gitlink at {@code path} in a commit's tree, or null. */
    public static ObjectId gitlink(ObjectReader reader, RevCommit commit, String path) throws IOException {
        try (TreeWalk tw = TreeWalk.forPath(reader, path, commit.getTree())) {
            return tw == null || tw.getFileMode(0) != FileMode.GITLINK ? null : tw.getObjectId(0);
        }
    }

    /** Points the index's gitlink at {@code path} to {@code commit}, so the next commit records it. */
    public static void stageGitlink(Repository git, String path, ObjectId commit) throws IOException {
        DirCache dc = git.lockDirCache();
        try {
            DirCacheEditor editor = dc.editor();
            editor.add(new DirCacheEditor.PathEdit(path) {
                @Override
                public void apply(DirCacheEntry ent) {
                    ent.setFileMode(FileMode.GITLINK);
                    ent.setObjectId(commit);
                    ent.setLength(0);
                    ent.setLastModified(Instant.EPOCH);
                }
            });
            editor.commit();
        } finally {
            dc.unlock();
        }
    }

    /**
     * Submodules that {@code declared} (the paths in {@code .gitmodules}) lacks: gitlinks in the
     * index, and a Git work tree at the data path, which staging would record as one.
     */
    public static java.util.List<String> undeclaredGitlinks(Repository git, java.util.Set<String> declared) throws IOException {
        return undeclaredGitlinks(git, git.readDirCache(), declared);
    }

    /** As {@link #undeclaredGitlinks(Repository, java.util.Set)}, in an index already read. */
    public static java.util.List<String> undeclaredGitlinks(Repository git, DirCache index, java.util.Set<String> declared)
            throws IOException {
        java.util.Set<String> found = new java.util.TreeSet<>();
        for (int i = 0; i < index.getEntryCount(); i++) {
            DirCacheEntry e = index.getEntry(i);
            if (e.getFileMode() == FileMode.GITLINK && !declared.contains(e.getPathString())) {
                found.add(e.getPathString());
            }
        }
        String data = dataPath(git);
        if (!declared.contains(data) && new File(new File(git.getWorkTree(), data), Constants.DOT_GIT).exists()) {
            found.add(data);
        }
        return java.util.List.copyOf(found);
    }
}
