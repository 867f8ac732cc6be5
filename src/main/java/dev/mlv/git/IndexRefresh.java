package dev.mlv.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.util.FS;

/**
 * Clears "racily clean" marks that a checkout leaves on the files it just wrote. JGit writes the
 * index right after the files, within the file system's timestamp resolution, so it marks those
 * entries smudged; every later status would then re-read each of them through the clean filter,
 * which for a large model means re-hashing gigabytes. Once the resolution has passed, an entry
 * whose file still has the size and time the checkout recorded is known to match it, and the
 * mark can be cleared, as git's own index refresh does after its content check.
 */
public final class IndexRefresh {
    private static final Duration MAX_WAIT = Duration.ofMillis(100);

    private IndexRefresh() {
    }

    /** Unsmudges entries whose file is exactly as the last checkout wrote it; returns how many. */
    public static int afterCheckout(Repository repo) throws IOException {
        Path workTree = repo.getWorkTree().toPath();
        waitOutTimestampResolution(workTree);
        // JGit re-smudges, on write, entries as new as the index file it read. The first pass writes
        // an index newer than every file; the second then clears the marks for good.
        int cleared = pass(repo, workTree);
        if (cleared > 0) {
            waitOutTimestampResolution(workTree);
            cleared = Math.max(cleared, pass(repo, workTree));
        }
        return cleared;
    }

    private static int pass(Repository repo, Path workTree) throws IOException {
        DirCache dc = repo.lockDirCache();
        int cleared = 0;
        try {
            for (int i = 0; i < dc.getEntryCount(); i++) {
                DirCacheEntry e = dc.getEntry(i);
                if (!e.isSmudged() || e.getStage() != 0 || e.getFileMode() == FileMode.GITLINK
                        || e.getFileMode() == FileMode.SYMLINK) {
                    continue;
                }
                Path file = workTree.resolve(e.getPathString());
                BasicFileAttributes attrs;
                try {
                    attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (IOException gone) {
                    continue;
                }
                if (attrs.isRegularFile() && attrs.size() > 0
                        && attrs.lastModifiedTime().toInstant().equals(e.getLastModifiedInstant())) {
                    e.setLength(attrs.size());
                    cleared++;
                }
            }
            if (cleared > 0) {
                dc.write();
                dc.commit();
            }
        } finally {
            dc.unlock();
        }
        return cleared;
    }

    private static void waitOutTimestampResolution(Path dir) {
        Duration resolution = FS.FileStoreAttributes.get(dir).getFsTimestampResolution();
        long millis = Math.min(MAX_WAIT.toMillis(), Math.max(2, resolution.toMillis() + 1));
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
