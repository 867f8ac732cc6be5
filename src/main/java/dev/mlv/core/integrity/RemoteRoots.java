package dev.mlv.core.integrity;

import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.internal.GitTransportErrors;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;

/**
 * The branches and tags a Git remote has right now (asked over its transport, as
 * {@code git ls-remote} does, not read from possibly stale tracking refs), as roots for
 * {@code fsck --remote}: what a clone of that remote would need from the store remote.
 */
final class RemoteRoots {
    /** The roots, and the refs whose commits this clone does not have (named, for a warning). */
    record Found(List<Reachability.Root> roots, List<String> notHere) {
    }

    private RemoteRoots() {
    }

    static Found of(MlvRepository repo, String remote) throws MlvException, java.io.IOException {
        Collection<Ref> refs;
        try (Git git = new Git(repo.git())) {
            refs = git.lsRemote().setRemote(remote).setHeads(false).setTags(false).call();
        } catch (GitAPIException e) {
            throw GitTransportErrors.map("list the refs of '" + remote + "'", remote, e);
        }
        List<Reachability.Root> roots = new ArrayList<>();
        List<String> notHere = new ArrayList<>();
        for (Ref ref : refs) {
            String name = ref.getName();
            if (!name.startsWith(Constants.R_HEADS) && !name.startsWith(Constants.R_TAGS) || ref.getObjectId() == null) {
                continue;
            }
            String display = remote + "/" + Repository.shortenRefName(name);
            ObjectId id = ref.getObjectId();
            if (!repo.git().getObjectDatabase().has(id) && ref.getPeeledObjectId() != null) {
                id = ref.getPeeledObjectId();
            }
            if (repo.git().getObjectDatabase().has(id)) {
                roots.add(new Reachability.Root(display, id));
            } else {
                notHere.add(display);
            }
        }
        return new Found(roots, notHere);
    }
}
