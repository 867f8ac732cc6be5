package dev.mlv.git;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.FileMode;

/**
 * The nothing-changed case of staging, answered from stat data alone: every index entry is an
 * ordinary file whose size, modification time and executable bit match the file, no entry is
 * racily clean (modified at or after the index was written), and no directory of the work tree
 * holds a name the index does not know (only empty untracked directories are allowed, as Git
 * does not track them). Anything else, even what the full walk would find unchanged (an ignored
 * file, a symlink, a submodule, an unmerged path), answers "maybe changed" and staging walks the
 * work tree as before: this check only ever skips work, it never decides what to stage.
 *
 * <p>It costs one {@code lstat} per entry and one listing per directory, without JGit's tree
 * walk (attributes, ignore rules and iterator objects per path), which was most of a re-commit
 * of a 10,000-file checkpoint.
 */
final class StatCheck {
    private StatCheck() {
    }

    /**
     * Whether the work tree certainly matches {@code dc} (read from {@code indexFile}, whose lock
     * the caller holds, so the file's time is the time the index was written).
     */
    static boolean unchanged(Path workTree, Path indexFile, DirCache dc) {
        try {
            Instant indexTime = Files.getLastModifiedTime(indexFile).toInstant();
            // per directory of the index, how many names it has there (files and subdirectories)
            Map<String, int[]> names = new HashMap<>();
            names.put("", new int[1]);
            String lastDir = null;
            Path lastDirPath = null;
            int[] lastCount = null;
            for (int i = 0; i < dc.getEntryCount(); i++) {
                DirCacheEntry e = dc.getEntry(i);
                String path = e.getPathString();
                int slash = path.lastIndexOf('/');
                String dir = slash < 0 ? "" : path.substring(0, slash);
                if (!dir.equals(lastDir)) {
                    lastDir = dir;
                    lastCount = countIn(names, dir);
                    lastDirPath = dir.isEmpty() ? workTree : workTree.resolve(dir);
                }
                lastCount[0]++;
                if (!matches(lastDirPath.resolve(path.substring(slash + 1)), e, indexTime)) {
                    return false;
                }
            }
            // every name of the index is there (each entry was found above): a directory holding
            // as many names as the index has in it holds nothing else
            for (Map.Entry<String, int[]> d : names.entrySet()) {
                String dir = d.getKey();
                Path p = dir.isEmpty() ? workTree : workTree.resolve(dir);
                // a directory replaced by a symlink to one would be followed by the lstat above
                if (!Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isDirectory()) {
                    return false;
                }
                String[] children = p.toFile().list();
                if (children == null) {
                    return false;
                }
                if (children.length != d.getValue()[0] && !onlyEmptyDirectoriesBesides(p, dir, children, dc, names)) {
                    return false;
                }
            }
            return true;
        } catch (IOException | UnsupportedOperationException | java.nio.file.InvalidPathException e) {
            return false; // whatever could not be checked is left to the full walk
        }
    }

    /** The count of names the index has in {@code dir}, which is counted as a name of its parent. */
    private static int[] countIn(Map<String, int[]> names, String dir) {
        int[] count = names.get(dir);
        if (count == null) {
            count = new int[1];
            names.put(dir, count);
            int slash = dir.lastIndexOf('/');
            countIn(names, slash < 0 ? "" : dir.substring(0, slash))[0]++;
        }
        return count;
    }

    /** Whether every name of {@code children} the index does not know is a tree of empty directories. */
    private static boolean onlyEmptyDirectoriesBesides(Path p, String dir, String[] children, DirCache dc,
                                                       Map<String, int[]> names) throws IOException {
        for (String name : children) {
            String path = dir.isEmpty() ? name : dir + "/" + name;
            if ((dir.isEmpty() && name.equals(".git")) || dc.findEntry(path) >= 0 || names.containsKey(path)) {
                continue;
            }
            if (!emptyTree(p.resolve(name))) {
                return false;
            }
        }
        return true;
    }

    private static boolean matches(Path file, DirCacheEntry e, Instant indexTime) throws IOException {
        FileMode mode = e.getFileMode();
        if (e.getStage() != 0 || e.isUpdateNeeded() || e.isIntentToAdd() || e.isSkipWorkTree() || e.isAssumeValid()
                || e.isSmudged() || (mode != FileMode.REGULAR_FILE && mode != FileMode.EXECUTABLE_FILE)) {
            return false;
        }
        Instant entryTime = e.getLastModifiedInstant();
        if (!entryTime.isBefore(indexTime)) {
            return false; // racily clean: the file may have changed in the same time slot; hash it
        }
        PosixFileAttributes a = Files.readAttributes(file, PosixFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        return a.isRegularFile()
                && (int) a.size() == e.getLength() // the index keeps 32 bits of the size, as JGit compares it
                && a.lastModifiedTime().toInstant().equals(entryTime)
                && a.permissions().contains(PosixFilePermission.OWNER_EXECUTE) == (mode == FileMode.EXECUTABLE_FILE);
    }

    /** A directory holding, at any depth, nothing but directories: Git has nothing to stage there. */
    private static boolean emptyTree(Path p) throws IOException {
        if (!Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isDirectory()) {
            return false;
        }
        try (DirectoryStream<Path> children = Files.newDirectoryStream(p)) {
            for (Path child : children) {
                if (!emptyTree(child)) {
                    return false;
                }
            }
        }
        return true;
    }
}
