package dev.mlv.core.experiment;

import dev.mlv.core.FileChange;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.internal.Revisions;
import dev.mlv.core.workspace.internal.TreeDiff;
import dev.mlv.core.workspace.internal.WorkTreeChanges;
import dev.mlv.store.ContentNotFoundException;
import dev.mlv.store.Oid;
import dev.mlv.store.manifest.Manifest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The files that differ between two commits, with each side's size and, for a large file changed
 * on both sides, how many bytes of the new version are chunks the old version already has: what
 * the store (and a transfer) does not hold twice. Reads trees, pointers and local manifests only,
 * never content and never a remote.
 */
public final class FilesCompare {
    private final MlvRepository repo;

    public FilesCompare(MlvRepository repo) {
        this.repo = repo;
    }

    /**
     * One changed path. Sizes are -1 on the side where the path is absent; {@code sharedBytes}
     * is null unless the path is a large file on both sides whose manifests are in the local store.
     */
    public record Change(String path, String type, boolean large, long oldSize, long newSize, Long sharedBytes) {
    }

    public record Result(String oldCommit, String newCommit, List<Change> changes) {
        public Result {
            changes = List.copyOf(changes);
        }
    }

    /** Compares {@code oldRef}'s tree with {@code newRef}'s (branches, tags or commits). */
    public Result call(String oldRef, String newRef) throws MlvException {
        try (RevWalk walk = new RevWalk(repo.git())) {
            RevCommit a = Revisions.commit(repo.git(), walk, oldRef);
            RevCommit b = Revisions.commit(repo.git(), walk, newRef);
            ObjectReader reader = walk.getObjectReader();
            List<Change> changes = new ArrayList<>();
            try (TreeWalk tw = TreeDiff.walk(reader, a.getTree(), b.getTree())) {
                while (tw.next()) {
                    FileMode before = tw.getFileMode(0);
                    FileMode after = tw.getFileMode(1);
                    String type = before == FileMode.MISSING ? "added" : after == FileMode.MISSING ? "deleted" : "modified";
                    FileChange old = before == FileMode.MISSING ? null
                            : WorkTreeChanges.describe(reader, tw.getPathString(), type, tw.getObjectId(0), before);
                    FileChange now = after == FileMode.MISSING ? null
                            : WorkTreeChanges.describe(reader, tw.getPathString(), type, tw.getObjectId(1), after);
                    Long shared = old != null && now != null && old.large() && now.large() ? shared(old.oid(), now.oid()) : null;
                    changes.add(new Change(tw.getPathString(), type, (old != null && old.large()) || (now != null && now.large()),
                            old == null ? -1 : old.size(), now == null ? -1 : now.size(), shared));
                }
            }
            return new Result(a.name(), b.name(), changes);
        } catch (IOException e) {
            throw new MlvException("cannot compare the files of " + oldRef + " and " + newRef + ": " + e.getMessage(), e);
        }
    }

    /** Bytes of the new version in chunks the old one also has; null when a manifest is not stored here. */
    private Long shared(String oldOid, String newOid) throws IOException {
        Manifest old;
        Manifest now;
        try {
            old = repo.content().store().manifest(Oid.fromHex(oldOid));
            now = repo.content().store().manifest(Oid.fromHex(newOid));
        } catch (ContentNotFoundException e) {
            return null; // not pulled here: unknown, not zero
        }
        Set<ByteBuffer> ids = new HashSet<>(old.chunkCount() * 2);
        byte[] raw = old.idBytes();
        for (int i = 0; i < old.chunkCount(); i++) {
            ids.add(ByteBuffer.wrap(raw, i * 32, 32));
        }
        byte[] rawNew = now.idBytes();
        long shared = 0;
        for (int i = 0; i < now.chunkCount(); i++) {
            if (ids.contains(ByteBuffer.wrap(rawNew, i * 32, 32))) {
                shared += now.chunkLength(i);
            }
        }
        return shared;
    }
}
