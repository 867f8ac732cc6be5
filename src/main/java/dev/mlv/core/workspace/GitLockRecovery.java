package dev.mlv.core.workspace;

import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.internal.RepoContent;
import dev.mlv.git.MlvGitRepository;
import dev.mlv.store.LockBusyException;
import dev.mlv.store.StoreLock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Git's index lock ({@code .git/index.lock}) outlives a process killed while holding it, and Git
 * then refuses to work until someone deletes it. mlv's index-writing operations run inside a
 * section guarded by an exclusive OS lock on {@code .git/mlv/index-writer.lock}; inside it, every
 * index lock the repository takes is recorded in {@code .git/mlv/index-writer.owned} with the lock
 * file's identity (device and inode), and the record is cleared when the section ends normally.
 *
 * <p>A record found on entering means the previous mlv died inside its section. Only the lock
 * files it names, and only while they are still the very file it recorded (same inode), are its
 * leftovers and are removed, with a warning. Anything else is left for Git to report: a lock a live
 * {@code git} or a concurrent {@code mlv record} holds, and every lock under {@code refs/} (a ref
 * update holds its lock for microseconds; a kill inside that window leaves it to the user, as git
 * does).
 */
final class GitLockRecovery {
    private static final Logger log = LoggerFactory.getLogger(GitLockRecovery.class);
    static final String OWNED = "index-writer.owned";

    private GitLockRecovery() {
    }

    /** The section: closing it clears the ownership record, then releases the lock. */
    static final class Section implements AutoCloseable {
        private final StoreLock lock;
        private final MlvGitRepository git;
        private final Path owned;

        private Section(StoreLock lock, MlvGitRepository git, Path owned) {
            this.lock = lock;
            this.git = git;
            this.owned = owned;
        }

        @Override
        public void close() throws IOException {
            try {
                git.setIndexLockListener(null);
                Files.deleteIfExists(owned);
            } finally {
                lock.close();
            }
        }
    }

    /** Enters the section (waiting for another mlv in it), cleaning up after a predecessor that died in it. */
    static Section enter(MlvRepository repo, String purpose) throws MlvException, IOException {
        Path mlvDir = repo.gitDir().resolve("mlv");
        StoreLock lock;
        try {
            lock = StoreLock.acquire(mlvDir.resolve("index-writer.lock"), StoreLock.Mode.EXCLUSIVE,
                    RepoContent.WRITER_WAIT, purpose);
        } catch (LockBusyException e) {
            throw new MlvException("another mlv command is writing this repository's index: " + e.getMessage()
                    + "; try again when it has finished", e);
        }
        try {
            Path owned = mlvDir.resolve(OWNED);
            removeRecordedLeftovers(repo.gitDir(), owned);
            Files.deleteIfExists(owned);
            MlvGitRepository git = repo.gitRepository();
            git.setIndexLockListener(lockFile -> record(owned, repo.gitDir(), lockFile));
            return new Section(lock, git, owned);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** Appends {@code lockFile}'s identity to the record, durably, before the lock is used. */
    private static void record(Path owned, Path gitDir, Path lockFile) throws IOException {
        String identity = identity(lockFile);
        if (identity == null) {
            return; // no inode to prove it ours later: such a lock is left for the user, as git does
        }
        String line = gitDir.relativize(lockFile) + "\t" + identity + "\n";
        try (FileChannel ch = FileChannel.open(owned, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
            ch.force(false);
        }
    }

    private static void removeRecordedLeftovers(Path gitDir, Path owned) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(owned, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return;
        }
        for (String line : lines) {
            int tab = line.indexOf('\t');
            if (tab < 0) {
                continue; // a torn last line: its lock was never used
            }
            Path lockFile = gitDir.resolve(line.substring(0, tab)).normalize();
            if (!lockFile.startsWith(gitDir) || lockFile.startsWith(gitDir.resolve("refs"))
                    || !lockFile.getFileName().toString().endsWith(".lock")) {
                continue;
            }
            String recorded = line.substring(tab + 1);
            try {
                if (!recorded.isEmpty() && recorded.equals(identity(lockFile))) {
                    log.warn("removing {}, left by an mlv process that was killed while holding it", lockFile);
                    Files.deleteIfExists(lockFile);
                }
            } catch (NoSuchFileException e) {
                // gone already: nothing to clean
            }
        }
    }

    /** The file's device and inode, or null where the file system has no such key. */
    private static String identity(Path file) throws IOException {
        Object key = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        return key == null ? null : key.toString();
    }
}
