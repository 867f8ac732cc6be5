package dev.mlv.core;

import java.io.IOException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.Repository;

/** The data submodule, when the repository has one at {@code data/}. */
final class Submodules {
    static final String DATA_PATH = "data";

    private Submodules() {
    }

    /** The data commit pinned in the index, or null when there is no data submodule. */
    static String dataCommit(Repository git) throws IOException {
        DirCache index = git.readDirCache();
        DirCacheEntry entry = index.getEntry(DATA_PATH);
        if (entry == null || entry.getFileMode() != FileMode.GITLINK) {
            return null;
        }
        return entry.getObjectId().name();
    }
}
