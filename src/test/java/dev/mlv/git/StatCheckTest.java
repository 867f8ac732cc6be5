package dev.mlv.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stat-only check that lets a re-commit skip the work-tree walk: it must answer "unchanged"
 * for a clean checkpoint (or the fast path is lost) and "maybe changed" for every change the walk
 * would stage.
 */
class StatCheckTest {
    @TempDir
    Path root;
    @TempDir
    Path outside;
    Repository repo;
    Instant past = Instant.now().minusSeconds(3600);

    @BeforeEach
    void init() throws Exception {
        try (Git git = Git.init().setDirectory(root.toFile()).call()) {
            repo = git.getRepository();
            Files.createDirectories(root.resolve("models/ckpt"));
            for (int i = 0; i < 3; i++) {
                write("models/ckpt/shard-" + i + ".bin", "shard " + i);
            }
            write("train.py", "print('hi')\n");
            git.add().addFilepattern(".").call();
        }
    }

    private void write(String path, String content) throws Exception {
        Path p = root.resolve(path);
        Files.writeString(p, content);
        Files.setLastModifiedTime(p, FileTime.from(past));
    }

    private boolean unchanged() throws Exception {
        DirCache dc = repo.lockDirCache();
        try {
            return StatCheck.unchanged(root, repo.getIndexFile().toPath(), dc);
        } finally {
            dc.unlock();
        }
    }

    @Test
    void aCleanWorkTreeIsUnchangedEvenWithEmptyUntrackedDirectories() throws Exception {
        assertThat(unchanged()).isTrue();
        Files.createDirectories(root.resolve("logs/old"));
        assertThat(unchanged()).isTrue();
    }

    @Test
    void sameSizeAndTimeInTheIndexsTimestampSlotIsNotTrusted() throws Exception {
        write("models/ckpt/shard-1.bin", "shard X");
        Files.setLastModifiedTime(repo.getIndexFile().toPath(), FileTime.from(past));
        assertThat(unchanged()).isFalse();
    }

    @Test
    void aChangedTimeOrSizeIsSeen() throws Exception {
        Files.setLastModifiedTime(root.resolve("models/ckpt/shard-1.bin"), FileTime.from(past.plusSeconds(1)));
        assertThat(unchanged()).isFalse();
        Files.setLastModifiedTime(root.resolve("models/ckpt/shard-1.bin"), FileTime.from(past));
        assertThat(unchanged()).isTrue();
        write("models/ckpt/shard-1.bin", "shard 1 longer");
        assertThat(unchanged()).isFalse();
    }

    @Test
    void aNewFileAnywhereIsSeen() throws Exception {
        write("models/ckpt/shard-3.bin", "shard 3");
        assertThat(unchanged()).isFalse();
        Files.delete(root.resolve("models/ckpt/shard-3.bin"));
        Files.createDirectories(root.resolve("data/deep"));
        write("data/deep/x.csv", "1,2\n");
        assertThat(unchanged()).isFalse();
    }

    @Test
    void aDeletedFileOrADirectoryReplacedByALinkIsSeen() throws Exception {
        Files.delete(root.resolve("models/ckpt/shard-0.bin"));
        assertThat(unchanged()).isFalse();
        write("models/ckpt/shard-0.bin", "shard 0");
        assertThat(unchanged()).isTrue();

        Path moved = outside.resolve("ckpt");
        Files.move(root.resolve("models/ckpt"), moved);
        Files.createSymbolicLink(root.resolve("models/ckpt"), moved);
        assertThat(unchanged()).isFalse();
    }

    @Test
    void anExecutableBitChangeIsSeen() throws Exception {
        Path p = root.resolve("train.py");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(unchanged()).isFalse();
    }
}
