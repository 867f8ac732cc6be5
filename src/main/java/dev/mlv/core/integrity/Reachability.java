package dev.mlv.core.integrity;

import dev.mlv.store.Pointer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.ReflogEntry;
import org.eclipse.jgit.lib.ReflogReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.ObjectWalk;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Which pointers Git can still reach, for fsck (what must be whole) and gc (what must be kept).
 * Roots are named so a problem can say which branch and path it affects.
 */
final class Reachability {
    /** What to start from. */
    enum Scope {
        /** Branches, tags and HEAD: what users see (fsck's default). */
        BRANCHES_AND_TAGS,
        /** Every ref (remote-tracking, stash, notes...), every reflog entry and the index (gc, fsck --all-refs). */
        EVERYTHING
    }

    /** A starting point: a display name ({@code main}, {@code v1}, {@code main@{2}}) and its object. */
    record Root(String name, ObjectId id) {
    }

    /** A reachable pointer blob and one path that holds it. */
    record Use(Pointer pointer, String path) {
    }

    /** A blob that looks like a pointer but is not a valid one: read as raw bytes. */
    record NearPointer(ObjectId blob, String path) {
    }

    /** The pointer blobs found (blob id → use), and near-pointers. */
    record Found(Map<ObjectId, Use> pointers, List<NearPointer> nearPointers, List<DirCacheEntry> indexEntries) {
    }

    private static final byte[] VERSION_PREFIX = "version http".getBytes(StandardCharsets.US_ASCII);

    private Reachability() {
    }

    static List<Root> roots(Repository git, Scope scope) throws IOException {
        Map<String, Root> roots = new LinkedHashMap<>();
        Ref head = git.exactRef(Constants.HEAD);
        if (head != null && head.getObjectId() != null) {
            roots.put(Constants.HEAD, new Root(Constants.HEAD, head.getObjectId()));
        }
        List<Ref> refs = scope == Scope.EVERYTHING ? git.getRefDatabase().getRefs()
                : git.getRefDatabase().getRefsByPrefix(Constants.R_HEADS, Constants.R_TAGS);
        for (Ref ref : refs) {
            if (ref.getObjectId() != null) {
                roots.putIfAbsent(ref.getName(), new Root(Repository.shortenRefName(ref.getName()), ref.getObjectId()));
            }
        }
        if (scope == Scope.EVERYTHING) {
            for (String name : new String[] {"ORIG_HEAD", "MERGE_HEAD", "CHERRY_PICK_HEAD", "REVERT_HEAD", "FETCH_HEAD"}) {
                Ref r = git.exactRef(name);
                if (r != null && r.getObjectId() != null) {
                    roots.putIfAbsent(name, new Root(name, r.getObjectId()));
                }
            }
            List<String> logged = new ArrayList<>(roots.keySet());
            for (String refName : logged) {
                ReflogReader log = git.getRefDatabase().getReflogReader(refName);
                if (log == null) {
                    continue;
                }
                List<ReflogEntry> entries = log.getReverseEntries();
                for (int i = 0; i < entries.size(); i++) {
                    String display = Repository.shortenRefName(refName) + "@{" + i + "}";
                    for (ObjectId id : new ObjectId[] {entries.get(i).getNewId(), entries.get(i).getOldId()}) {
                        // git's own reflog expiry may have pruned an old entry's objects
                        if (!id.equals(ObjectId.zeroId()) && git.getObjectDatabase().has(id)) {
                            roots.putIfAbsent(id.name(), new Root(display, id));
                        }
                    }
                }
            }
        }
        return new ArrayList<>(roots.values());
    }

    /**
     * Every pointer reachable from the roots (and, with {@code index}, staged in the index).
     * Objects that Git itself cannot find are an error: an incomplete mark must never drive a gc.
     */
    static Found find(Repository git, ObjectReader reader, List<Root> roots, boolean index) throws IOException {
        Map<ObjectId, Use> pointers = new HashMap<>();
        List<NearPointer> near = new ArrayList<>();
        List<DirCacheEntry> staged = new ArrayList<>();
        try (ObjectWalk walk = new ObjectWalk(reader)) {
            for (Root root : roots) {
                RevObject o = walk.parseAny(root.id());
                walk.markStart(o);
            }
            while (walk.next() != null) {
                // commits first; their trees and blobs follow
            }
            RevObject o;
            while ((o = walk.nextObject()) != null) {
                if (o.getType() == Constants.OBJ_BLOB) {
                    classify(reader, o.copy(), walk.getPathString(), pointers, near);
                }
            }
        }
        if (index) {
            DirCache dc = git.readDirCache();
            for (int i = 0; i < dc.getEntryCount(); i++) {
                DirCacheEntry e = dc.getEntry(i);
                if (e.getFileMode() != FileMode.GITLINK && !pointers.containsKey(e.getObjectId())
                        && reader.has(e.getObjectId())) {
                    classify(reader, e.getObjectId(), e.getPathString(), pointers, near);
                    staged.add(e);
                }
            }
        }
        return new Found(pointers, near, staged);
    }

    private static void classify(ObjectReader reader, ObjectId blob, String path, Map<ObjectId, Use> pointers,
                                 List<NearPointer> near) throws IOException {
        ObjectLoader loader = reader.open(blob, Constants.OBJ_BLOB);
        long size = loader.getSize();
        if (size == 0 || size >= Pointer.MAX_ENCODED_SIZE) {
            return;
        }
        byte[] bytes = loader.getCachedBytes();
        Pointer p = Pointer.tryParse(bytes);
        if (p != null) {
            pointers.putIfAbsent(blob, new Use(p, path));
        } else if (bytes.length > VERSION_PREFIX.length
                && java.util.Arrays.equals(bytes, 0, VERSION_PREFIX.length, VERSION_PREFIX, 0, VERSION_PREFIX.length)) {
            near.add(new NearPointer(blob, path));
        }
    }

    /**
     * Where the given blobs are used: for each, up to {@code limit} {@code root:path} strings,
     * searching each root's tip first, then its history. Only called for problems, so cost is fine.
     */
    static Map<ObjectId, List<String>> locate(Repository git, ObjectReader reader, List<Root> roots,
                                              Set<ObjectId> blobs, int limit) throws IOException {
        Map<ObjectId, List<String>> where = new HashMap<>();
        for (Root root : roots) {
            Set<ObjectId> foundHere = new HashSet<>();
            try (RevWalk walk = new RevWalk(reader)) {
                RevObject start = walk.peel(walk.parseAny(root.id()));
                if (!(start instanceof RevCommit)) {
                    continue;
                }
                walk.markStart((RevCommit) start);
                int depth = 0;
                for (RevCommit c : walk) {
                    try (TreeWalk tw = new TreeWalk(reader)) {
                        tw.addTree(c.getTree());
                        tw.setRecursive(true);
                        while (tw.next()) {
                            ObjectId id = tw.getObjectId(0);
                            if (blobs.contains(id) && foundHere.add(id)) {
                                List<String> list = where.computeIfAbsent(id, k -> new ArrayList<>());
                                if (list.size() < limit) {
                                    list.add(root.name() + (depth == 0 ? "" : " (commit " + c.abbreviate(12).name() + ")")
                                            + ":" + tw.getPathString());
                                }
                            }
                        }
                    }
                    depth++;
                    if (foundHere.size() == blobs.size()) {
                        break;
                    }
                }
            }
        }
        return where;
    }
}
