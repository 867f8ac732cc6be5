package dev.mlv.core.internal;

import dev.mlv.store.Oid;
import dev.mlv.store.Pointer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The sizes of large files by oid, read from the pointers in the repository's commits: a Git LFS
 * server's download batch names each object's size, and callers hand over oids only. Walks from
 * HEAD and every ref, newest commits first, each tree and blob once, and stops as soon as every
 * asked size is known (the files a checkout or pull needs sit in the tips' trees).
 */
final class PointerSizes {
    private final Path gitDir;
    private final Map<Oid, Long> known = new HashMap<>();

    PointerSizes(Path gitDir) {
        this.gitDir = gitDir;
    }

    /** The sizes of {@code oids} that some commit's pointer gives; the others are left out. */
    synchronized Map<Oid, Long> of(Collection<Oid> oids) throws IOException {
        Set<Oid> wanted = new HashSet<>(oids);
        wanted.removeAll(known.keySet());
        if (!wanted.isEmpty()) {
            scan(wanted);
        }
        Map<Oid, Long> out = new HashMap<>();
        for (Oid oid : oids) {
            Long size = known.get(oid);
            if (size != null) {
                out.put(oid, size);
            }
        }
        return out;
    }

    private void scan(Set<Oid> wanted) throws IOException {
        try (Repository git = new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setMustExist(true).build();
             ObjectReader reader = git.newObjectReader(); RevWalk walk = new RevWalk(reader)) {
            Set<ObjectId> starts = new HashSet<>();
            Ref head = git.exactRef(Constants.HEAD);
            if (head != null && head.getObjectId() != null) {
                starts.add(head.getObjectId());
            }
            for (Ref r : git.getRefDatabase().getRefs()) {
                if (r.getObjectId() != null) {
                    starts.add(r.getPeeledObjectId() != null ? r.getPeeledObjectId() : r.getObjectId());
                }
            }
            for (ObjectId id : starts) {
                try {
                    walk.markStart(walk.parseCommit(id));
                } catch (org.eclipse.jgit.errors.IncorrectObjectTypeException
                         | org.eclipse.jgit.errors.MissingObjectException e) {
                    // a ref to a blob, a tree, or something not here: no pointers to find from it
                }
            }
            Set<ObjectId> seen = new HashSet<>();
            for (RevCommit c = walk.next(); c != null && !wanted.isEmpty(); c = walk.next()) {
                try (TreeWalk tw = new TreeWalk(reader)) {
                    tw.addTree(c.getTree());
                    while (tw.next() && !wanted.isEmpty()) {
                        ObjectId id = tw.getObjectId(0);
                        if (!seen.add(id.copy())) {
                            continue; // this tree or blob was looked at in another commit
                        }
                        if (tw.isSubtree()) {
                            tw.enterSubtree();
                        } else if (tw.getFileMode(0).getObjectType() == Constants.OBJ_BLOB) {
                            Pointer p = Pointers.read(reader, id);
                            if (p != null) {
                                known.put(p.oid(), p.size());
                                wanted.remove(p.oid());
                            }
                        }
                    }
                }
            }
        }
    }
}
