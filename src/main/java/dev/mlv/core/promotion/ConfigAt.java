package dev.mlv.core.promotion;

import dev.mlv.core.MlvConfig;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import java.io.IOException;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The {@code .mlv/config.json} committed on a branch. Promotion reads the destination's: a
 * source branch cannot weaken the gates of the branch it is promoted into.
 */
final class ConfigAt {
    private ConfigAt() {
    }

    static MlvConfig commit(MlvRepository repo, RevWalk walk, RevCommit commit) throws IOException, MlvException {
        ObjectReader reader = walk.getObjectReader();
        try (TreeWalk tw = TreeWalk.forPath(reader, MlvConfig.PATH, commit.getTree())) {
            if (tw == null) {
                return repo.config();
            }
            return MlvConfig.parse(reader.open(tw.getObjectId(0)).getBytes(MlvConfig.MAX_BYTES), MlvConfig.PATH + " in " + commit.abbreviate(12).name());
        }
    }
}
