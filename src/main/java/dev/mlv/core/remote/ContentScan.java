package dev.mlv.core.remote;

import dev.mlv.core.internal.Pointers;
import dev.mlv.store.Oid;
import dev.mlv.store.Pointer;
import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.ObjectWalk;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.treewalk.TreeWalk;

/** Finds the large files (pointer blobs) that commits reference: what a push or fetch must move. */
final class ContentScan {
    private ContentScan() {
    }

    /**
     * The oids of pointer blobs reachable from {@code tips} but not from {@code exclude} (commits
     * whose content is known to be on the store remote; ids this repository lacks or that are not
     * commits are skipped). Each blob is read once.
     */
    static Set<Oid> reachable(Repository git, Collection<ObjectId> tips, Collection<ObjectId> exclude) throws IOException {
        Set<Oid> oids = new LinkedHashSet<>();
        try (ObjectReader reader = git.newObjectReader(); ObjectWalk walk = new ObjectWalk(reader)) {
            for (ObjectId tip : tips) {
                walk.markStart(walk.parseCommit(tip));
            }
            for (ObjectId id : exclude) {
                try {
                    walk.markUninteresting(walk.parseCommit(id));
                } catch (MissingObjectException | IncorrectObjectTypeException e) {
                    // a tracking ref to something we do not have or that is not a commit: no help
                }
            }
            for (RevCommit c = walk.next(); c != null; c = walk.next()) {
                // commits first; their new trees and blobs follow
            }
            for (RevObject o = walk.nextObject(); o != null; o = walk.nextObject()) {
                if (o.getType() == Constants.OBJ_BLOB) {
                    Pointer p = Pointers.read(reader, o);
                    if (p != null) {
                        oids.add(p.oid());
                    }
                }
            }
        }
        return oids;
    }

    /** The oids of the pointer blobs in one tree. */
    static Set<Oid> inTree(Repository git, ObjectId tree) throws IOException {
        Set<Oid> oids = new LinkedHashSet<>();
        try (ObjectReader reader = git.newObjectReader(); TreeWalk tw = new TreeWalk(reader)) {
            tw.addTree(tree);
            tw.setRecursive(true);
            while (tw.next()) {
                if (tw.getFileMode(0).getObjectType() == Constants.OBJ_BLOB) {
                    Pointer p = Pointers.read(reader, tw.getObjectId(0));
                    if (p != null) {
                        oids.add(p.oid());
                    }
                }
            }
        }
        return oids;
    }
}
