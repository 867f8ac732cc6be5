package dev.mlv.core.data;

import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.data.internal.DataModule;
import dev.mlv.core.data.internal.Submodules;
import dev.mlv.core.workspace.internal.WorkTreeSync;
import java.io.IOException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * {@code mlv data pull [--rev REV]}: fetches the data repository, moves the data submodule to the
 * tip of its tracked branch (or to REV) with its large files materialised, and stages the new
 * gitlink so the next train-commit records that data commit. Refuses, changing nothing, when the
 * data work tree has uncommitted changes or the new data's content is not available.
 */
public final class DataPull {
    private final MlvRepository repo;
    private String path;
    private String rev;
    private DataModule module;
    private RevCommit target;
    private boolean cloned;
    private int copied;

    public DataPull(MlvRepository repo) {
        this.repo = repo;
    }

    /** The data submodule's path, to check the caller means it; null for the data submodule. */
    public DataPull setPath(String path) {
        this.path = path;
        return this;
    }

    /** A branch, tag or commit of the data repository; null for the tip of the tracked branch. */
    public DataPull setRev(String rev) {
        this.rev = rev;
        return this;
    }

    /** Where the data moved: {@code from} is null when it was not checked out before. */
    public record Result(String path, String from, String to, boolean changed, int commits, int largeFiles,
                         int copiedFiles) {
    }

    public Result call() throws MlvException {
        try {
          prepare();
            return apply();
        } finally {
          close();
        }
    }

    /**
     * Everything that can fail without changing the work tree: fetch, resolve, bring the content
     * into the data store. {@link #apply} then checks it out.
     */
    public RevCommit prepare() throws MlvException {
        module = DataModule.open(repo);
        String wanted = path == null ? null : path.replace('\\', '/').replaceAll("/+$", "");
        if (wanted != null && !wanted.equals(module.path())) {
            throw MlvException.notFound("'" + path + "' is not the data submodule; it is at " + module.path() + "/");
        }
        try {
            if (module.isCloned()) {
                module.refuseIfDirty("pull data");
                module.fetch();
            } else {
                module.cloneRepository();
                cloned = true;
            }
            target = module.resolve(rev);
            copied = module.importContent(target);
            return target;
        } catch (IOException e) {
            throw new MlvException("cannot pull data: " + e.getMessage(), e);
        }
    }

    public Result apply() throws MlvException {
        try {
            ObjectId before = cloned ? null : module.head();
            int large;
            try (var reader = module.git().newObjectReader()) {
                large = WorkTreeSync.largeFilesToWrite(reader, null, target.getTree()).size();
            }
            module.checkout(target);
            Submodules.stageGitlink(repo.git(), module.path(), target);
            int commits = 0;
            if (before != null && module.has(before)) {
                try (RevWalk walk = new RevWalk(module.git())) {
                    walk.markStart(walk.parseCommit(target));
                    walk.markUninteresting(walk.parseCommit(before));
                    for (RevCommit ignored : walk) {
                        commits++;
                    }
                }
            }
            return new Result(module.path(), before == null ? null : before.name(), target.name(),
                    !target.equals(before), commits, large, copied);
        } catch (IOException e) {
            throw new MlvException("cannot check out data commit " + target.name() + ": " + e.getMessage(), e);
        }
    }

    public void close() {
        if (module != null) {
            module.close();
        }
    }
}
