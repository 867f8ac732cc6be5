package dev.mlv.core.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlv.cli.CliHarness;
import dev.mlv.core.MlvRepository;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After an mlv died holding Git's index lock, the next train-commit removes exactly the lock files
 * that mlv recorded as its own, never one another process holds and never one under {@code refs/}.
 */
class GitLockRecoveryTest {
    @TempDir
    Path root;

    private Path dir;
    private Path gitDir;

    @BeforeEach
    void setUp() throws Exception {
        assertThat(new CliHarness(root).run("init", "p").exitCode()).isZero();
        dir = root.resolve("p");
        gitDir = dir.resolve(".git");
        Files.writeString(dir.resolve("a.txt"), "a\n");
    }

    private static String identity(Path file) throws Exception {
        return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey().toString();
    }

    /** What a process killed inside the section leaves: the ownership record naming its index lock. */
    private void leaveRecordOf(Path lockFile) throws Exception {
        // the section lock's holder record, as a process killed inside the section leaves it
        Files.writeString(gitDir.resolve("mlv").resolve("index-writer.lock"), "pid=999999 host=localhost mode=exclusive since="
                + java.time.Instant.now().minusSeconds(60) + " for=train-commit\n", StandardCharsets.UTF_8);
        Files.writeString(gitDir.resolve("mlv").resolve(GitLockRecovery.OWNED),
                gitDir.relativize(lockFile) + "\t" + identity(lockFile) + "\n", StandardCharsets.UTF_8);
    }

    @Test
    void theIndexLockAKilledMlvRecordedIsRemovedAndTheCommitSucceeds() throws Exception {
        Path indexLock = Files.writeString(gitDir.resolve("index.lock"), "half-written index");
        leaveRecordOf(indexLock);

        CliHarness.Result commit = new CliHarness(dir).run("train-commit", "-m", "after a kill");
        assertThat(commit.exitCode()).as(commit.toString()).isZero();
        assertThat(indexLock).doesNotExist();
        assertThat(gitDir.resolve("mlv").resolve(GitLockRecovery.OWNED)).as("cleared on a normal exit").doesNotExist();
    }

    @Test
    void aLockAnotherProcessTookSinceIsLeftAlone() throws Exception {
        // The killed mlv's lock was removed by hand and a live git has taken the index lock anew:
        // same name, another file. Deleting it would corrupt git's work.
        Path indexLock = Files.writeString(gitDir.resolve("index.lock"), "killed mlv's");
        leaveRecordOf(indexLock);
        Path tmp = Files.writeString(gitDir.resolve("other"), "live git's"); // made while the old one lives: another inode
        Files.delete(indexLock);
        Files.move(tmp, indexLock);
        Path refLock = Files.createDirectories(gitDir.resolve("refs/heads")).resolve("prod.lock");
        Files.writeString(refLock, "mlv record's");
        Path headLock = Files.writeString(gitDir.resolve("HEAD.lock"), "ref: refs/heads/x\n");

        try (MlvRepository repo = MlvRepository.open(dir);
             GitLockRecovery.Section section = GitLockRecovery.enter(repo, "test")) {
            assertThat(section).isNotNull();
        }
        assertThat(Files.readString(indexLock)).isEqualTo("live git's");
        assertThat(refLock).exists();
        assertThat(headLock).exists();
    }

    @Test
    void aBranchLockLeftBehindIsNamedWithWhatToDoAndNothingIsCommitted() throws Exception {
        // a train-commit killed while JGit held HEAD's branch lock leaves it, as git would
        CliHarness mlv = new CliHarness(dir);
        assertThat(mlv.run("train-commit", "-m", "first").exitCode()).isZero();
        String head = Files.readString(gitDir.resolve("refs/heads/main"));
        Path refLock = gitDir.resolve("refs/heads/main.lock");
        Files.writeString(refLock, "");
        Files.writeString(dir.resolve("a.txt"), "b\n");

        CliHarness.Result blocked = mlv.run("train-commit", "-m", "second");
        assertThat(blocked.exitCode()).as(blocked.toString()).isEqualTo(dev.mlv.cli.ExitCodes.CONFLICT);
        assertThat(blocked.stderr().strip().lines().count()).isEqualTo(1);
        assertThat(blocked.stderr()).contains(refLock.toString()).contains("if none is running, delete it");
        assertThat(Files.readString(gitDir.resolve("refs/heads/main"))).as("the branch did not move").isEqualTo(head);

        Files.delete(refLock);
        CliHarness.Result again = mlv.run("train-commit", "-m", "second");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(Files.readString(gitDir.resolve("refs/heads/main"))).isNotEqualTo(head);
    }

    @Test
    void anIndexLockNotRecordedAsOursIsNamedWithWhatToDo() throws Exception {
        // a live git's, or one left by a process killed before it could record it: never removed
        Path indexLock = Files.writeString(gitDir.resolve("index.lock"), "someone's");
        CliHarness.Result blocked = new CliHarness(dir).run("train-commit", "-m", "blocked");
        assertThat(blocked.exitCode()).as(blocked.toString()).isEqualTo(dev.mlv.cli.ExitCodes.CONFLICT);
        assertThat(blocked.stderr()).contains(indexLock.toString() + " exists").contains("if none is running, delete it");
        assertThat(Files.readString(indexLock)).isEqualTo("someone's");
        Files.delete(indexLock);
        assertThat(new CliHarness(dir).run("train-commit", "-m", "after").exitCode()).isZero();
    }

    @Test
    void aRecordedRefLockIsNeverRemoved() throws Exception {
        Path refLock = Files.createDirectories(gitDir.resolve("refs/heads")).resolve("main.lock");
        Files.writeString(refLock, "x");
        leaveRecordOf(refLock);
        try (MlvRepository repo = MlvRepository.open(dir);
             GitLockRecovery.Section section = GitLockRecovery.enter(repo, "test")) {
            assertThat(section).isNotNull();
        }
        assertThat(refLock).exists();
    }

    @Test
    void everyIndexLockTakenInsideTheSectionIsRecordedWhileHeld() throws Exception {
        try (MlvRepository repo = MlvRepository.open(dir);
             GitLockRecovery.Section section = GitLockRecovery.enter(repo, "test")) {
            var dc = repo.gitRepository().lockDirCache();
            try {
                Path owned = gitDir.resolve("mlv").resolve(GitLockRecovery.OWNED);
                assertThat(Files.readString(owned)).isEqualTo("index.lock\t" + identity(gitDir.resolve("index.lock")) + "\n");
            } finally {
                dc.unlock();
            }
        }
    }
}
