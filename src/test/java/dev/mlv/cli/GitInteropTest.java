package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mlv.testing.GitCli;
import dev.mlv.testing.Slow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plain {@code git} on repositories made by mlv, with mlv's filter configured as {@code mlv init}
 * configures it; only the command differs: git starts {@code dev.mlv.cli.Main filter-process} on
 * this test's class path instead of the {@code ./mlv} launcher. Every git command that filters
 * starts a JVM, so each test keeps to a handful of them.
 */
@Timeout(120)
@Slow
class GitInteropTest {
    private static final String FILTER = GitCli.javaCommand("dev.mlv.cli.Main", "filter-process");

    @TempDir
    Path temp;
    private Path work;
    private GitCli git;
    private byte[] modelA;
    private byte[] modelB;

    @BeforeEach
    void mlvRepository() throws Exception {
        assumeTrue(GitCli.available(), "git is not on PATH");
        git = new GitCli(Files.createDirectories(temp.resolve("home")), temp.resolve("scratch"));
        work = temp.resolve("work");
        assertOk(mlv(temp, "init", "work"));
        git("config", "filter.mlv.process", FILTER);
        modelA = random(1 << 20, 1);
        modelB = random(700_000, 2);
        Files.write(work.resolve("models/model.bin"), modelA);
        Files.writeString(work.resolve("src/train.py"), "print('train')\n");
        assertOk(mlv(work, "train-commit", "-m", "baseline"));
    }

    @Test
    void plainGitStatusIsCleanAfterATrainCommit() throws Exception {
        // JGit's index lacks ctime, inode and device: the first status re-cleans the large file
        // (the same pointer, so clean) and refreshes the index; the second needs no filter.
        assertThat(git("status", "--porcelain").out()).isEmpty();
        assertThat(git("status", "--porcelain").out()).isEmpty();
        assertThat(git.run(work, "diff", "--quiet").exitCode()).isZero();
        assertThat(git("ls-files", "--debug", "models/model.bin").out()).contains("size: " + modelA.length);
        // and JGit agrees with what git refreshed
        CliHarness.Result nothing = mlv(work, "train-commit", "-m", "again");
        assertThat(nothing.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(nothing.stderr()).contains("nothing to commit");
    }

    @Test
    void gitAddCommitCheckoutAndDiffGoThroughTheFilter() throws Exception {
        String pointerA = pointer(modelA);
        String pointerB = pointer(modelB);
        assertThat(git("cat-file", "-p", "HEAD:models/model.bin").out()).isEqualTo(pointerA);

        git("checkout", "-q", "-b", "exp");
        Files.write(work.resolve("models/model.bin"), modelB);
        String diff = git("diff", "--", "models/model.bin").out();
        assertThat(diff).contains("-" + pointerA.split("\n")[1], "+" + pointerB.split("\n")[1],
                "-size " + modelA.length, "+size " + modelB.length);

        git("add", "models/model.bin");
        assertThat(git("cat-file", "-p", ":models/model.bin").out()).isEqualTo(pointerB);
        git("commit", "-q", "-m", "bigger model");
        assertThat(git("status", "--porcelain").out()).isEmpty();

        git("checkout", "-q", "main");
        assertThat(Files.readAllBytes(work.resolve("models/model.bin"))).isEqualTo(modelA);
        git("checkout", "-q", "exp");
        assertThat(Files.readAllBytes(work.resolve("models/model.bin"))).isEqualTo(modelB);
        assertThat(git("diff", "main", "exp", "--", "models/model.bin").out())
                .contains("+oid sha256:" + sha256(modelB), "+size " + modelB.length)
                .doesNotContain("Binary files");
        assertThat(git("status", "--porcelain").out()).isEmpty();
        git("fsck", "--strict");

        // mlv reads what git committed: the model is stored, HEAD's pointer is B's
        Files.delete(work.resolve("models/model.bin"));
        git("checkout", "--", "models/model.bin");
        assertThat(Files.readAllBytes(work.resolve("models/model.bin"))).isEqualTo(modelB);
    }

    @Test
    void plainGitCheckoutInALazyCloneFetchesWhatTheStoreLacks() throws Exception {
        Path bare = temp.resolve("origin.git");
        Path store = Files.createDirectories(temp.resolve("store"));
        git.run(temp, "init", "-q", "--bare", bare.toString()).assertOk();
        assertOk(mlv(work, "remote", "add", "origin", bare.toString()));
        assertOk(mlv(work, "store", "remote", "set", "origin", store.toString()));
        assertOk(mlv(work, "train-commit", "-m", "store remote"));
        assertOk(mlv(work, "push", "origin", "main"));
        assertOk(mlv(work, "switch", "--create", "exp"));
        Files.write(work.resolve("models/model.bin"), modelB);
        assertOk(mlv(work, "train-commit", "-m", "b"));
        assertOk(mlv(work, "push", "origin", "exp"));

        Path clone = temp.resolve("lazy");
        assertOk(mlv(temp, "clone", bare.toString(), clone.toString()));
        git.run(clone, "config", "filter.mlv.process", FILTER).assertOk();
        // the clone downloaded main's files only: exp's model is not in its store
        assertThat(mlv(clone, "store", "cat", sha256(modelB)).exitCode()).isEqualTo(ExitCodes.NOT_FOUND);

        git.run(clone, "checkout", "-q", "exp").assertOk();
        assertThat(Files.readAllBytes(clone.resolve("models/model.bin"))).isEqualTo(modelB);
        assertThat(git.run(clone, "status", "--porcelain").assertOk().out()).isEmpty();
    }

    @Test
    void aCloneGetsTheRealFilesOnceTheStoreAndFilterAreThere() throws Exception {
        Path clone = temp.resolve("clone");
        git.run(temp, "clone", "-q", "--no-checkout", work.toString(), clone.toString()).assertOk();
        // content comes with the store; until 'mlv pull' exists, copy it
        copyTree(work.resolve(".git/mlv/store"), clone.resolve(".git/mlv/store"));
        assertOk(mlv(clone, "install"));
        assertThat(git.run(clone, "config", "filter.mlv.process").assertOk().out()).endsWith("filter-process\n");
        git.run(clone, "config", "filter.mlv.process", FILTER).assertOk();

        git.run(clone, "reset", "-q", "--hard").assertOk();
        assertThat(Files.readAllBytes(clone.resolve("models/model.bin"))).isEqualTo(modelA);
        assertThat(clone.resolve(".mlv/config.json")).exists();
        assertThat(git.run(clone, "status", "--porcelain").assertOk().out()).isEmpty();
        // and mlv works in the clone: nothing to commit
        assertThat(mlv(clone, "train-commit", "-m", "x").stderr()).contains("nothing to commit");
    }

    @Test
    void importLfsAdoptsARepositoryMadeWithGitLfs() throws Exception {
        boolean lfsInstalled = GitCli.available("lfs", "version");
        if (System.getenv("MLV_TEST_REQUIRE_GIT_LFS") != null) {
            assertThat(lfsInstalled).as("git-lfs is required here (MLV_TEST_REQUIRE_GIT_LFS, set by .ci/run)").isTrue();
        }
        assumeTrue(lfsInstalled, "git-lfs is not installed");
        Path lfs = temp.resolve("lfs");
        git.run(temp, "init", "-q", "-b", "main", lfs.toString()).assertOk();
        git.run(lfs, "lfs", "install", "--local").assertOk();
        git.run(lfs, "lfs", "track", "*.bin").assertOk();
        Files.write(lfs.resolve("weights.bin"), modelA);
        git.run(lfs, "add", ".gitattributes", "weights.bin").assertOk();
        git.run(lfs, "commit", "-q", "-m", "weights in lfs").assertOk();
        assertThat(git.run(lfs, "cat-file", "-p", "HEAD:weights.bin").assertOk().out()).isEqualTo(pointer(modelA));

        CliHarness.Result r = mlv(lfs, "import-lfs");
        assertOk(r);
        assertThat(r.stdout()).contains("1 imported").contains("*.bin filter=mlv diff=mlv merge=mlv -text");
        assertThat(r.stderr()).contains("git lfs uninstall --local");
        git.run(lfs, "config", "filter.mlv.process", FILTER).assertOk();
        git.run(lfs, "lfs", "uninstall", "--local").assertOk();

        assertThat(git.run(lfs, "log", "--format=%s").assertOk().out())
                .isEqualTo("Move large files from Git LFS to mlv\nweights in lfs\n");
        assertThat(git.run(lfs, "show", "--stat", "--format=", "HEAD").assertOk().out()).contains(".gitattributes").doesNotContain("weights.bin");
        // the same pointer blob, now restored by mlv's filter from mlv's store
        Files.delete(lfs.resolve("weights.bin"));
        git.run(lfs, "checkout", "--", "weights.bin").assertOk();
        assertThat(Files.readAllBytes(lfs.resolve("weights.bin"))).isEqualTo(modelA);
        assertThat(git.run(lfs, "status", "--porcelain").assertOk().out()).isEmpty();
        git.run(lfs, "fsck", "--strict").assertOk();
    }

    private GitCli.Result git(String... args) throws Exception {
        return git.run(work, args).assertOk();
    }

    private static CliHarness.Result mlv(Path dir, String... args) {
        return new CliHarness(dir).run(args);
    }

    private static void assertOk(CliHarness.Result r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String pointer(byte[] content) throws Exception {
        return ImportLfsCommandTest.pointer(sha256(content), content.length);
    }

    private static String sha256(byte[] content) throws Exception {
        return ImportLfsCommandTest.sha256(content);
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
