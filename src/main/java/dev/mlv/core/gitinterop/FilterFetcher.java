package dev.mlv.core.gitinterop;

import dev.mlv.core.MlvConfig;
import dev.mlv.core.MlvException;
import dev.mlv.core.StoreRemote;
import dev.mlv.core.internal.ContentRemote;
import dev.mlv.core.internal.RepoContent;
import dev.mlv.store.Oid;
import dev.mlv.store.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

/**
 * Lazy content for git's filter: a smudge of a file the local store lacks (a lazy clone, then a
 * plain {@code git checkout OTHER}) fetches it from the store remote that the work tree's
 * {@code .mlv/config.json} names, as mlv's own commands and git-lfs do. The store remote is opened
 * once per filter process, at the first miss.
 */
final class FilterFetcher implements RepoContent.Fetcher, AutoCloseable {
    private final RepoContent content;
    private final Path commonGitDir;
    private final Path workTree;
    private ContentRemote remote;
    private boolean unavailable;

    FilterFetcher(RepoContent content, Path commonGitDir, Path workTree) {
        this.content = content;
        this.commonGitDir = commonGitDir;
        this.workTree = workTree;
    }

    @Override
    public synchronized boolean fetch(Collection<Oid> oids) throws IOException {
        try {
            if (remote == null && !unavailable) {
                open();
            }
            if (remote == null) {
                return false;
            }
            remote.download(oids, ProgressListener.NONE);
            return true;
        } catch (MlvException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private void open() throws MlvException {
        // git writes .mlv/config.json before models/ (it checks out in path order)
        if (workTree == null || !Files.isRegularFile(workTree.resolve(MlvConfig.PATH))) {
            unavailable = true;
            return;
        }
        MlvConfig config = MlvConfig.read(workTree);
        StoreRemote target = StoreRemote.pick(config, null);
        if (target == null) {
            unavailable = true;
            return;
        }
        remote = ContentRemote.open(content, commonGitDir, workTree, config, target, null);
    }

    @Override
    public synchronized void close() {
        if (remote != null) {
            remote.close();
        }
    }
}
