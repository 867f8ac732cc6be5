package dev.mlv.core.workspace;

import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.internal.RepoContent;
import dev.mlv.store.LockBusyException;
import dev.mlv.store.StoreLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Git's own lock files ({@code .git/index.lock}, {@code HEAD.lock}, {@code refs/heads/x.lock})
 * outlive a process killed while holding them, and Git then refuses to work until someone
 * deletes them. mlv's index-writing operations run inside a section guarded by an exclusive OS
 * lock on {@code .git/mlv/index-writer.lock}, which records the holder and is cleared on exit.
 * Entering it finds a record left behind only when the previous mlv died inside its section;
 * Git lock files created since that section began are then that process's leftovers and are
 * removed (with a warning in the log). Lock files without such a record (a plain git process, or
 * a crash outside mlv) are left for Git to report.
 */
final class GitLockRecovery {
    private static final Logger log = LoggerFactory.getLogger(GitLockRecovery.class);
    /** Lock files a killed commit can leave, relative to the git directory. */
    private static final String[] FILES = {"index.lock", "HEAD.lock", "packed-refs.lock", "ORIG_HEAD.lock"};

    private GitLockRecovery() {
    }

    /** Enters the section (waiting for another mlv in it), cleaning up after a predecessor that died in it. */
    static StoreLock enter(MlvRepository repo, String purpose) throws MlvException, IOException {
        StoreLock section;
        try {
            section = StoreLock.acquire(repo.gitDir().resolve("mlv").resolve("index-writer.lock"), StoreLock.Mode.EXCLUSIVE,
                    RepoContent.WRITER_WAIT, purpose);
        } catch (LockBusyException e) {
            throw new MlvException("another mlv command is writing this repository's index: " + e.getMessage()
                    + "; try again when it has finished", e);
        }
        Instant died = section.diedHoldingSince();
        if (died != null) {
            for (Path stale : leftovers(repo.gitDir(), died.minusSeconds(2))) {
                log.warn("removing {}, left by an mlv process that was killed at work (since {})", stale, died);
                Files.deleteIfExists(stale);
            }
        }
        return section;
    }

    private static List<Path> leftovers(Path gitDir, Instant since) throws IOException {
        List<Path> candidates = new ArrayList<>();
        for (String name : FILES) {
            candidates.add(gitDir.resolve(name));
        }
        Path heads = gitDir.resolve("refs");
        if (Files.isDirectory(heads)) {
            try (Stream<Path> s = Files.walk(heads)) {
                s.filter(p -> p.getFileName().toString().endsWith(".lock")).forEach(candidates::add);
            }
        }
        List<Path> stale = new ArrayList<>();
        for (Path p : candidates) {
            if (Files.isRegularFile(p) && !Files.getLastModifiedTime(p).toInstant().isBefore(since)) {
                stale.add(p);
            }
        }
        return stale;
    }
}
