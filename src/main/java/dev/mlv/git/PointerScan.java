package dev.mlv.git;

import dev.mlv.store.Pointer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.ObjectWalk;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Finds the blobs that are pointer files (Git LFS v1 format, which mlv shares) in a commit's tree
 * or in the history of every ref: what an LFS repository references. A blob is a pointer when
 * {@link Pointer#tryParse} says so, the test by which {@link CleanRule} keeps a file as it is.
 * Each blob is read once.
 */
public final class PointerScan {
    private final Repository repo;

    public PointerScan(Repository repo) {
        this.repo = repo;
    }

    /** A pointer blob and the first path it was found at. */
    public record Found(String path, Pointer pointer) {
    }

    /** The pointers in HEAD's tree; empty when HEAD has no commit. */
    public List<Found> head() throws IOException {
        ObjectId tree = repo.resolve(Constants.HEAD + "^{tree}");
        List<Found> found = new ArrayList<>();
        if (tree == null) {
            return found;
        }
        try (ObjectReader reader = repo.newObjectReader(); TreeWalk walk = new TreeWalk(repo, reader)) {
            walk.addTree(tree);
            walk.setRecursive(true);
            while (walk.next()) {
                if (walk.getFileMode(0).getObjectType() == Constants.OBJ_BLOB) {
                    addIfPointer(reader, walk.getObjectId(0), walk.getPathString(), found);
                }
            }
        }
        return found;
    }

    /** The pointers in every commit reachable from any ref (branches, tags, remotes) and HEAD. */
    public List<Found> allRefs() throws IOException {
        List<Found> found = new ArrayList<>();
        try (ObjectReader reader = repo.newObjectReader(); ObjectWalk walk = new ObjectWalk(reader)) {
            List<Ref> refs = new ArrayList<>(repo.getRefDatabase().getRefs());
            Ref head = repo.exactRef(Constants.HEAD);
            if (head != null) {
                refs.add(head);
            }
            for (Ref ref : refs) {
                ObjectId id = ref.getObjectId();
                if (id == null) {
                    continue;
                }
                try {
                    walk.markStart(walk.parseCommit(id));
                } catch (IncorrectObjectTypeException notACommit) {
                    // a tag of a tree or blob, or a note: nothing of a work tree's history
                }
            }
            for (RevCommit c = walk.next(); c != null; c = walk.next()) {
                // commits first; their trees and blobs follow in nextObject()
            }
            for (RevObject o = walk.nextObject(); o != null; o = walk.nextObject()) {
                if (o.getType() == Constants.OBJ_BLOB) {
                    addIfPointer(reader, o, walk.getPathString(), found);
                }
            }
        }
        return found;
    }

    private static void addIfPointer(ObjectReader reader, ObjectId blob, String path, List<Found> found) throws IOException {
        long size = reader.getObjectSize(blob, Constants.OBJ_BLOB);
        if (size == 0 || size >= Pointer.MAX_ENCODED_SIZE) {
            return;
        }
        // the test the clean rule keeps a file by: a look-alike that does not parse is a file
        Pointer pointer = Pointer.tryParse(reader.open(blob, Constants.OBJ_BLOB).getCachedBytes());
        if (pointer != null) {
            found.add(new Found(path, pointer));
        }
    }
}
