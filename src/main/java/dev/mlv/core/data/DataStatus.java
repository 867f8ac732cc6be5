package dev.mlv.core.data;

import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.data.internal.DataModule;
import dev.mlv.core.data.internal.Submodules;
import java.io.IOException;
import java.util.List;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * {@code mlv data status}: the data commit this branch pins, whether it is staged to change,
 * what is checked out in the data work tree and whether that is dirty, and how far the pin is
 * behind the tip of the tracked branch (as last fetched; {@link #setFetch} fetches first).
 */
public final class DataStatus {
    private final MlvRepository repo;
    private boolean fetch;

    public DataStatus(MlvRepository repo) {
        this.repo = repo;
    }

    public DataStatus setFetch(boolean fetch) {
        this.fetch = fetch;
        return this;
    }

    /**
     * The data submodule's state. {@code committed} is HEAD's gitlink, {@code pinned} the index's
     * (what the next commit records); {@code behind}/{@code ahead} count commits between the pin
     * and {@code upstream} (null when unknown).
     */
    public record Result(String path, String url, String branch, String committed, String pinned, String checkedOut,
                         boolean matches, boolean dirty, List<String> dirtyPaths, String upstream, Integer behind,
                         Integer ahead) {
    }

    public Result call() throws MlvException {
        try (DataModule module = DataModule.open(repo)) {
            return of(repo, module, fetch);
        }
    }

    public static Result of(MlvRepository repo, DataModule module, boolean fetch) throws MlvException {
        try {
            String pinned = Submodules.dataCommit(repo.git());
            String committed = null;
            ObjectId head = repo.git().resolve(Constants.HEAD);
            if (head != null) {
                try (RevWalk walk = new RevWalk(repo.git()); ObjectReader reader = repo.git().newObjectReader()) {
                    RevCommit c = walk.parseCommit(head);
                    ObjectId link = Submodules.gitlink(reader, c, module.path());
                    committed = link == null ? null : link.name();
                }
            }
            if (!module.isCloned()) {
                return new Result(module.path(), module.url().url(), module.branch(), committed, pinned, null, false,
                        false, List.of(), null, null, null);
            }
            if (fetch) {
                module.fetch();
            }
            ObjectId checkedOut = module.head();
            List<String> dirty = module.dirtyPaths();
            ObjectId upstream = module.upstream();
            Integer behind = null;
            Integer ahead = null;
            if (upstream != null && pinned != null && module.has(ObjectId.fromString(pinned))) {
                behind = count(module, upstream, ObjectId.fromString(pinned));
                ahead = count(module, ObjectId.fromString(pinned), upstream);
            }
            return new Result(module.path(), module.url().url(), module.trackedBranch(), committed, pinned,
                    checkedOut == null ? null : checkedOut.name(),
                    checkedOut != null && checkedOut.name().equals(pinned), !dirty.isEmpty(), dirty,
                    upstream == null ? null : upstream.name(), behind, ahead);
        } catch (IOException e) {
            throw new MlvException("cannot read the data submodule's state: " + e.getMessage(), e);
        }
    }

    /** Commits reachable from {@code from} but not from {@code not}. */
    private static int count(DataModule module, ObjectId from, ObjectId not) throws MlvException, IOException {
        int n = 0;
        try (RevWalk walk = new RevWalk(module.git())) {
            walk.markStart(walk.parseCommit(from));
            walk.markUninteresting(walk.parseCommit(not));
            for (RevCommit ignored : walk) {
                n++;
            }
        }
        return n;
    }
}
