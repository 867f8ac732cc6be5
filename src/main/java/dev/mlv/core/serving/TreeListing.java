package dev.mlv.core.serving;

import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.RepoFile;
import dev.mlv.core.internal.Pointers;
import dev.mlv.core.internal.Revisions;
import dev.mlv.core.workspace.Cat;
import dev.mlv.store.Pointer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;

/**
 * A commit's tree as a read-only file system shows it ({@code mlv mount}): every file with its
 * mode, symbolic links with their targets, submodules with their pinned commits, and the commit's
 * time. Unlike {@link MlvRepository#list} it leaves nothing out; like it, it reads only trees and
 * pointers, never content.
 */
public final class TreeListing {
    /** A symbolic link's target is read up to this many bytes (Linux's PATH_MAX). */
    static final int MAX_LINK_BYTES = 4096;

    private final MlvRepository repo;
    private String prefix = "";

    public TreeListing(MlvRepository repo) {
        this.repo = repo;
    }

    /** What an entry is. */
    public enum Kind { FILE, EXECUTABLE, SYMLINK, SUBMODULE }

    /**
     * One entry below the prefix. {@code path} is relative to the prefix; {@code file} is set for
     * files, {@code target} for symbolic links (their text) and submodules (the pinned commit).
     */
    public record Entry(String path, Kind kind, RepoFile file, String target) {
    }

    /** The commit listed, its committer time, and its entries in path order. */
    public record Result(String commit, Instant time, List<Entry> entries) {
    }

    /**
     * Lists only this directory of the tree ({@code models} or {@code models/}); {@code ""} for
     * the whole tree.
     */
    public TreeListing setPrefix(String prefix) throws MlvException {
        String clean = prefix == null || prefix.isEmpty() || prefix.equals("/") || prefix.equals(".") ? "" : Cat.split(":" + prefix)[1];
        while (clean.endsWith("/")) {
            clean = clean.substring(0, clean.length() - 1);
        }
        this.prefix = clean;
        return this;
    }

    /** The commit {@code ref} names now (40 hex), without reading its tree. */
    public String commitOf(String ref) throws MlvException {
        try (RevWalk walk = new RevWalk(repo.git())) {
            return Revisions.commit(repo.git(), walk, ref).name();
        } catch (IOException e) {
            throw new MlvException("cannot resolve " + ref + ": " + e.getMessage(), e);
        }
    }

    /**
     * Lists {@code ref}'s tree under the prefix.
     *
     * @throws MlvException NOT_FOUND for an unknown ref, or a prefix that is no directory of it
     */
    public Result call(String ref) throws MlvException {
        try (RevWalk walk = new RevWalk(repo.git()); ObjectReader reader = repo.git().newObjectReader()) {
            RevCommit commit = Revisions.commit(repo.git(), walk, ref);
            Instant time = Instant.ofEpochSecond(commit.getCommitTime());
            if (!prefix.isEmpty()) {
                try (TreeWalk tw = TreeWalk.forPath(reader, prefix, commit.getTree())) {
                    if (tw == null || tw.getFileMode(0) != FileMode.TREE) {
                        throw MlvException.notFound("'" + prefix + "' is not a directory in " + ref + " ("
                                + Revisions.abbreviate(commit) + ")");
                    }
                }
            }
            return new Result(commit.name(), time, entries(reader, commit));
        } catch (IOException e) {
            throw new MlvException("cannot list " + ref + (prefix.isEmpty() ? "" : ":" + prefix) + ": " + e.getMessage(), e);
        }
    }

    private List<Entry> entries(ObjectReader reader, RevCommit commit) throws IOException, MlvException {
        List<Entry> entries = new ArrayList<>();
        try (TreeWalk tw = new TreeWalk(reader)) {
            tw.addTree(commit.getTree());
            tw.setRecursive(true);
            if (!prefix.isEmpty()) {
                tw.setFilter(PathFilter.create(prefix));
            }
            int skip = prefix.isEmpty() ? 0 : prefix.length() + 1;
            while (tw.next()) {
                String path = tw.getPathString();
                String relative = path.substring(skip);
                FileMode mode = tw.getFileMode(0);
                ObjectId id = tw.getObjectId(0);
                if (mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE) {
                    Kind kind = mode == FileMode.EXECUTABLE_FILE ? Kind.EXECUTABLE : Kind.FILE;
                    entries.add(new Entry(relative, kind, file(reader, commit, path, id), null));
                } else if (mode == FileMode.SYMLINK) {
                    byte[] target = reader.open(id, Constants.OBJ_BLOB).getCachedBytes(MAX_LINK_BYTES);
                    entries.add(new Entry(relative, Kind.SYMLINK, null, new String(target, StandardCharsets.UTF_8)));
                } else if (mode == FileMode.GITLINK) {
                    entries.add(new Entry(relative, Kind.SUBMODULE, null, id.name()));
                }
            }
        } catch (org.eclipse.jgit.errors.LargeObjectException e) {
            throw MlvException.integrity("a symbolic link in " + commit.name() + " has a target over " + MAX_LINK_BYTES + " bytes", e);
        }
        return entries;
    }

    private RepoFile file(ObjectReader reader, RevCommit commit, String path, ObjectId blob) throws IOException {
        Pointer pointer = Pointers.read(reader, blob);
        if (pointer != null) {
            return new RepoFile(repo, commit.name(), path, pointer.oid().hex(), pointer.size(), true);
        }
        return new RepoFile(repo, commit.name(), path, blob.name(), reader.getObjectSize(blob, Constants.OBJ_BLOB), false);
    }
}
