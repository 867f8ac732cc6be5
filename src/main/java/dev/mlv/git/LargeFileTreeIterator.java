package dev.mlv.git;

import dev.mlv.store.Pointer;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.treewalk.AbstractTreeIterator;
import org.eclipse.jgit.treewalk.FileTreeIterator;
import org.eclipse.jgit.treewalk.WorkingTreeIterator;
import org.eclipse.jgit.util.FS;

/**
 * JGit's work-tree iterator, with a cheaper content check for large files. When a tracked large
 * file's stat data no longer matches the index (a {@code touch}, a copy that kept the bytes, a
 * racily clean entry), JGit would run the clean filter over it: chunk it, hash every chunk and
 * look each one up in the store. Its index entry is a pointer, so one SHA-256 pass over the file
 * decides: the same size and oid make the same pointer, the blob the clean rule would give
 * ({@link CleanRule}: a file of {@link Pointer#MAX_ENCODED_SIZE} bytes or more is always content).
 * Nothing is read from or written to the store.
 *
 * <p>Files found unchanged are remembered; {@link #refreshIndex} then records their new stat data
 * in the index, as git's own status does, so the next status trusts them without reading. JGit's
 * racy-clean rule still applies: an entry written in the same timestamp slot as the index is marked
 * again when the index is written, and checked again next time.
 */
public final class LargeFileTreeIterator extends FileTreeIterator {
    /** What this iterator and the ones it made for subdirectories found unchanged. */
    private final List<Unchanged> unchanged;

    /** A file whose content matched its index entry: the entry's blob and the stat data the file had while hashed. */
    private record Unchanged(String path, ObjectId blob, long size, Instant modified) {
    }

    public LargeFileTreeIterator(Repository repo) {
        super(repo);
        this.unchanged = new ArrayList<>();
    }

    private LargeFileTreeIterator(LargeFileTreeIterator parent, File directory, FS fs) {
        super(parent, directory, fs, parent.fileModeStrategy);
        this.unchanged = parent.unchanged;
    }

    @Override
    protected AbstractTreeIterator enterSubtree() {
        return new LargeFileTreeIterator(this, getEntryFile(), fs);
    }

    @Override
    public boolean isModified(DirCacheEntry entry, boolean forceContentCheck, ObjectReader reader) throws IOException {
        if (entry != null && entry.getStage() == 0 && !entry.isAssumeValid() && !entry.isUpdateNeeded()
                && isRegular(getEntryFileMode()) && isRegular(entry.getFileMode())) {
            MetadataDiff diff = compareMetadata(entry);
            if ((diff == MetadataDiff.SMUDGED || diff == MetadataDiff.DIFFER_BY_TIMESTAMP && forceContentCheck)
                    && LargeFileFilters.CLEAN.equals(getCleanFilterCommand())) {
                Boolean same = sameContent(entry, reader);
                if (same != null) {
                    if (same) {
                        entry.setLength(getEntryLength()); // unsmudged in memory, as JGit's own check does
                    }
                    return !same;
                }
            }
        }
        return super.isModified(entry, forceContentCheck, reader);
    }

    private static boolean isRegular(FileMode mode) {
        return mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE;
    }

    /**
     * Whether the file holds the content the entry's pointer names; null when this check cannot
     * tell (the entry is not a canonical pointer, or the file is small enough to be a pointer
     * itself) and JGit's clean must decide.
     */
    private Boolean sameContent(DirCacheEntry entry, ObjectReader reader) throws IOException {
        long length = getEntryLength();
        if (length < Pointer.MAX_ENCODED_SIZE) {
            return null;
        }
        ObjectLoader blob = reader.open(entry.getObjectId(), Constants.OBJ_BLOB);
        if (blob.getSize() >= Pointer.MAX_ENCODED_SIZE) {
            return null;
        }
        byte[] bytes = blob.getCachedBytes();
        Pointer pointer = Pointer.tryParse(bytes);
        if (pointer == null || !Arrays.equals(pointer.encode(), bytes)) {
            return null; // a legacy or non-canonical pointer: the clean would re-encode it
        }
        if (pointer.size() != length) {
            return false;
        }
        Path file = getEntryFile().toPath();
        BasicFileAttributes before = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        byte[] digest = sha256(file);
        BasicFileAttributes after = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        boolean same = pointer.oid().matches(digest, 0);
        if (same && after.size() == before.size() && after.lastModifiedTime().equals(before.lastModifiedTime())) {
            unchanged.add(new Unchanged(entry.getPathString(), entry.getObjectId(), after.size(),
                    after.lastModifiedTime().toInstant()));
        }
        return same;
    }

    private static byte[] sha256(Path file) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        byte[] buffer = new byte[dev.mlv.store.IoPieces.PIECE];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                sha.update(buffer, 0, n);
            }
        }
        return sha.digest();
    }

    /**
     * Writes the stat data of the files found unchanged into the index, when it can be locked (a
     * busy index is left alone: the next status checks again) and each file and entry are still
     * as they were when hashed. Returns how many entries were refreshed.
     */
    public int refreshIndex() throws IOException {
        if (unchanged.isEmpty()) {
            return 0;
        }
        DirCache dc;
        try {
            dc = repository.lockDirCache();
        } catch (org.eclipse.jgit.errors.LockFailedException busy) {
            return 0;
        }
        int refreshed = 0;
        try {
            Path workTree = repository.getWorkTree().toPath();
            for (Unchanged u : unchanged) {
                DirCacheEntry e = dc.getEntry(u.path());
                if (e == null || e.getStage() != 0 || !e.getObjectId().equals(u.blob())) {
                    continue;
                }
                BasicFileAttributes now;
                try {
                    now = Files.readAttributes(workTree.resolve(u.path()), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (IOException gone) {
                    continue;
                }
                if (now.size() == u.size() && now.lastModifiedTime().toInstant().equals(u.modified())) {
                    e.setLength(u.size());
                    e.setLastModified(u.modified());
                    refreshed++;
                }
            }
            if (refreshed > 0) {
                dc.write(); // JGit marks entries racily clean again if they share the index's timestamp slot
                dc.commit();
            }
        } finally {
            dc.unlock();
        }
        return refreshed;
    }
}
