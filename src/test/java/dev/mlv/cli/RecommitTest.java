package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheTree;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.util.FS;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * train-commit again with nothing changed: the store is not opened and the index not rewritten;
 * git's racy-clean rule still catches a file rewritten, at the same size, in the timestamp slot
 * the index was written in.
 */
class RecommitTest {
    @TempDir
    Path root;
    Path repo;
    CliHarness mlv;

    @BeforeEach
    void init() {
        repo = root.resolve("proj");
        mlv = CliHarness.inNewRepository(root, "proj");
    }


    private Path index() {
        return repo.resolve(".git/index");
    }

    private DirCache readIndex() throws IOException {
        return DirCache.read(index().toFile(), FS.DETECTED);
    }

    /** A store no command can open: any attempt fails the command. */
    private void breakStoreConfig() throws IOException {
        Files.writeString(repo.resolve(".git/mlv/store/config.json"), "not json");
    }

    @Test
    void nothingChangedOpensNoStoreAndLeavesTheIndexAsItWas() throws Exception {
        for (int i = 0; i < 3; i++) {
            Files.write(repo.resolve("models/shard-" + i + ".bin"), CliHarness.randomBytes(200_000 + i, 40 + i));
        }
        Files.writeString(repo.resolve("train.py"), "print('hi')\n");
        mlv.ok("train-commit", "-m", "v1");
        breakStoreConfig();
        byte[] indexBytes = Files.readAllBytes(index());
        FileTime indexTime = Files.getLastModifiedTime(index());

        CliHarness.Result again = mlv.ok("train-commit", "-m", "again", "--allow-empty", "--json");
        assertThat(again.stdout()).contains("\"files\" : [ ]");
        assertThat(Files.readAllBytes(index())).isEqualTo(indexBytes);
        assertThat(Files.getLastModifiedTime(index())).as("the index is not rewritten").isEqualTo(indexTime);
        try (Repository git = new FileRepositoryBuilder().setGitDir(repo.resolve(".git").toFile()).build()) {
            assertThat(again.stdout()).contains("\"commit\" : \"" + git.resolve("HEAD").name() + "\"");
            assertThat(git.parseCommit(git.resolve("HEAD")).getFullMessage()).startsWith("again");
        }
    }

    @Test
    void theIndexRecordsItsTreesAsHeadHasThem() throws Exception {
        Files.createDirectories(repo.resolve("models/ckpt"));
        Files.write(repo.resolve("models/ckpt/shard-0.bin"), CliHarness.randomBytes(150_000, 50));
        Files.write(repo.resolve("models/ckpt/shard-1.bin"), CliHarness.randomBytes(150_000, 51));
        mlv.ok("train-commit", "-m", "v1");

        DirCacheTree trees = readIndex().getCacheTree(false);
        assertThat(trees).as("git's cache-tree extension").isNotNull();
        assertThat(trees.isValid()).isTrue();
        try (Repository git = new FileRepositoryBuilder().setGitDir(repo.resolve(".git").toFile()).build()) {
            ObjectId head = git.resolve("HEAD^{tree}");
            assertThat(trees.getObjectId()).isEqualTo(head);
        }
    }

    @Test
    void aRacilyCleanModelIsCheckedWithoutTheStore() throws Exception {
        Path model = repo.resolve("models/model.bin");
        Files.write(model, CliHarness.randomBytes(300_000, 60));
        // a time at or after the index's: the index is written in the file's timestamp slot
        FileTime slot = FileTime.from(Instant.now().plusSeconds(3));
        Files.setLastModifiedTime(model, slot);
        mlv.ok("train-commit", "-m", "v1");
        assertThat(readIndex().getEntry("models/model.bin").isSmudged()).as("racily clean").isTrue();
        breakStoreConfig();

        // JGit's check would clean the file into the store: one SHA-256 pass decides instead
        assertThat(mlv.ok("train-commit", "-m", "again", "--allow-empty", "--json").stdout()).contains("\"files\" : [ ]");
    }

    @Test
    void aModelRewrittenAtTheSameSizeInTheIndexsTimestampSlotIsCommitted() throws Exception {
        Path model = repo.resolve("models/model.bin");
        byte[] v1 = CliHarness.randomBytes(400_000, 70);
        byte[] v2 = CliHarness.randomBytes(400_000, 71);
        Files.write(model, v1);
        FileTime slot = FileTime.from(Instant.now().plusSeconds(3));
        Files.setLastModifiedTime(model, slot);
        mlv.ok("train-commit", "-m", "v1");
        assertThat(readIndex().getEntry("models/model.bin").isSmudged()).as("racily clean").isTrue();

        // rewritten right after the commit: same size, same time as far as the file system can tell
        Files.write(model, v2);
        Files.setLastModifiedTime(model, slot);
        CliHarness.Result v2Commit = mlv.ok("train-commit", "-m", "v2", "--json");
        assertThat(v2Commit.stdout()).contains("\"path\" : \"models/model.bin\"").contains("\"modified\"");
        assertThat(mlv.ok("cat", "HEAD:models/model.bin").stdoutBytes()).isEqualTo(v2);
        assertThat(mlv.ok("cat", "HEAD~1:models/model.bin").stdoutBytes()).isEqualTo(v1);
    }

    /** A checkpoint committed, then its files' times and the index's as after a normal commit. */
    private void commitCheckpoint(int shards) throws IOException {
        Files.createDirectories(repo.resolve("models/ckpt"));
        for (int i = 0; i < shards; i++) {
            Files.write(repo.resolve("models/ckpt/shard-" + i + ".bin"), CliHarness.randomBytes(50_000, 80 + i));
        }
        mlv.ok("train-commit", "-m", "v1");
    }

    @Test
    void aShardRewrittenAtTheSameSizeAndTimeIsCommittedWhenTheIndexShareItsTimestamp() throws Exception {
        commitCheckpoint(3);
        Path shard = repo.resolve("models/ckpt/shard-1.bin");
        FileTime time = Files.getLastModifiedTime(shard);
        byte[] v2 = CliHarness.randomBytes(50_000, 99);
        Files.write(shard, v2);
        Files.setLastModifiedTime(shard, time);
        // as if the index had been written in the same timestamp slot as the shard: racily clean
        Files.setLastModifiedTime(index(), time);

        assertThat(mlv.ok("train-commit", "-m", "v2", "--json").stdout())
                .contains("\"path\" : \"models/ckpt/shard-1.bin\"").contains("\"modified\"");
        assertThat(mlv.ok("cat", "HEAD:models/ckpt/shard-1.bin").stdoutBytes()).isEqualTo(v2);
    }

    @Test
    void aNewShardBesideUnchangedOnesIsCommitted() throws Exception {
        commitCheckpoint(3);
        byte[] added = CliHarness.randomBytes(50_000, 98);
        Files.write(repo.resolve("models/ckpt/shard-3.bin"), added);

        assertThat(mlv.ok("train-commit", "-m", "v2", "--json").stdout())
                .contains("\"path\" : \"models/ckpt/shard-3.bin\"").contains("\"added\"");
        assertThat(mlv.ok("cat", "HEAD:models/ckpt/shard-3.bin").stdoutBytes()).isEqualTo(added);
    }

    @Test
    void aNewFileInANewDirectoryIsCommittedButAnEmptyDirectoryChangesNothing() throws Exception {
        commitCheckpoint(2);
        Files.createDirectories(repo.resolve("models/empty/deeper"));
        assertThat(mlv.ok("train-commit", "-m", "again", "--allow-empty", "--json").stdout()).contains("\"files\" : [ ]");

        Files.createDirectories(repo.resolve("models/ckpt-2"));
        Files.writeString(repo.resolve("models/ckpt-2/notes.txt"), "new\n");
        assertThat(mlv.ok("train-commit", "-m", "v2", "--json").stdout())
                .contains("\"path\" : \"models/ckpt-2/notes.txt\"").contains("\"added\"");
    }

    @Test
    void aDeletedShardIsCommittedAsADeletion() throws Exception {
        commitCheckpoint(3);
        Files.delete(repo.resolve("models/ckpt/shard-0.bin"));

        assertThat(mlv.ok("train-commit", "-m", "v2", "--json").stdout())
                .contains("\"path\" : \"models/ckpt/shard-0.bin\"").contains("\"deleted\"");
        try (Repository git = new FileRepositoryBuilder().setGitDir(repo.resolve(".git").toFile()).build()) {
            assertThat(org.eclipse.jgit.treewalk.TreeWalk.forPath(git, "models/ckpt/shard-0.bin",
                    git.parseCommit(git.resolve("HEAD")).getTree())).isNull();
            assertThat(org.eclipse.jgit.treewalk.TreeWalk.forPath(git, "models/ckpt/shard-1.bin",
                    git.parseCommit(git.resolve("HEAD")).getTree())).isNotNull();
        }
    }
}
