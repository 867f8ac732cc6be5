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
 * {@code mlv data pull [--latest | --rev REV]}: checks the data submodule out with its large
 * files materialised, as {@code git submodule update --init} does: at the data commit the index
 * pins (cloned, or its work tree attached again from {@code .git/modules/data}, when needed).
 * Moving to newer data is explicit: {@code --latest} fetches and takes the tip of the tracked
 * branch, {@code --rev} a branch, tag or commit; the new gitlink is staged so the next
 * train-commit records it. Refuses, changing nothing, when the data work tree has uncommitted
 * changes or the data's content is not available.
 */
public final class DataPull {
    private final MlvRepository repo;
    private String path;
    private String rev;
    private boolean latest;
    private DataModule module;
    private RevCommit target;
    private boolean fresh;
    private int copied;

    public DataPull(MlvRepository repo) {
        this.repo = repo;
    }

    /** The data submodule's path, to check the caller means it; null for the data submodule. */
    public DataPull setPath(String path) {
        this.path = path;
        return this;
    }

    /** A branch, tag or commit of the data repository; null for the pinned commit (or {@link #setLatest}). */
    public DataPull setRev(String rev) {
        this.rev = rev;
        return this;
    }

    /** Move to the tip of the tracked branch instead of the pinned commit. */
    public DataPull setLatest(boolean latest) {
        this.latest = latest;
        return this;
    }

    /**
     * Where the data moved: {@code from} is null when it was not checked out before; {@code staged}
     * says whether the index now pins another data commit than HEAD records (train-commit records it).
     */
    public record Result(String path, String from, String to, boolean changed, int commits, int largeFiles,
                         int copiedFiles, boolean staged) {
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
        if (latest && rev != null) {
            throw MlvException.usage("--latest and --rev REV exclude each other; give one");
        }
        module = DataModule.open(repo);
        String wanted = path == null ? null : path.replace('\\', '/').replaceAll("/+$", "");
        if (wanted != null && !wanted.equals(module.path())) {
            throw MlvException.notFound("'" + path + "' is not the data submodule; it is at " + module.path() + "/");
        }
        try {
            module.refuseForeignWorkTree("pull data");
            if (module.isCloned()) {
                module.refuseIfDirty("pull data");
            }
            String pinned = Submodules.dataCommit(repo.git());
            boolean toPin = rev == null && !latest && pinned != null;
            fresh = !module.isCloned();
            boolean cloned = module.initialize();
            if (toPin) {
                ObjectId pin = ObjectId.fromString(pinned);
                if (!module.has(pin)) {
                    module.fetch();
                }
                if (!module.has(pin)) {
                    throw MlvException.notFound("this branch pins data commit " + pinned + ", which the data repository "
                            + module.url().url() + " does not have; move to its newest data with 'mlv data pull --latest'"
                            + " or pick one with --rev REV");
                }
                target = module.resolve(pinned);
            } else {
                if (!cloned) {
                    module.fetch();
                }
                target = module.resolve(rev);
            }
            copied = module.importContent(target);
            return target;
        } catch (IOException e) {
            throw new MlvException("cannot pull data: " + e.getMessage(), e);
        }
    }

    public Result apply() throws MlvException {
        try {
            ObjectId before = fresh ? null : module.head();
            int large;
            try (var reader = module.git().newObjectReader()) {
                large = WorkTreeSync.largeFilesToWrite(reader, null, target.getTree()).size();
            }
            module.checkout(target);
            if (!target.name().equals(Submodules.dataCommit(repo.git()))) {
                Submodules.stageGitlink(repo.git(), module.path(), target);
            }
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
                    !target.equals(before), commits, large, copied, staged());
        } catch (IOException e) {
            throw new MlvException("cannot check out data commit " + target.name() + ": " + e.getMessage(), e);
        }
    }

    /** Whether the index's gitlink differs from HEAD's. */
    private boolean staged() throws IOException {
        String pinned = Submodules.dataCommit(repo.git());
        ObjectId head = repo.git().resolve(org.eclipse.jgit.lib.Constants.HEAD);
        if (head == null) {
            return pinned != null;
        }
        try (RevWalk walk = new RevWalk(repo.git()); var reader = repo.git().newObjectReader()) {
            ObjectId committed = Submodules.gitlink(reader, walk.parseCommit(head), module.path());
            return pinned != null && (committed == null || !committed.name().equals(pinned));
        }
    }

    public void close() {
        if (module != null) {
            module.close();
        }
    }
}
