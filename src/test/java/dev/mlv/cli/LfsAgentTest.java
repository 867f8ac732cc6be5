package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mlv.testing.GitCli;
import dev.mlv.testing.Slow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real git-lfs with {@code mlv lfs-agent} as its standalone custom transfer agent: a plain Git
 * LFS repository ({@code filter=lfs}) pushes its objects into a chunked directory store remote,
 * deduplicated, and a fresh {@code git clone} gets them back through the agent.
 */
@Slow
class LfsAgentTest {
    private static final int SIZE = 16 << 20;

    @TempDir
    Path root;
    private GitCli git;
    private CliHarness mlv;
    private Path launcher;

    @BeforeEach
    void setUp() throws Exception {
        boolean lfs = GitCli.available("lfs", "version");
        if (System.getenv("MLV_TEST_REQUIRE_GIT_LFS") != null) {
            assertThat(lfs).as("git-lfs is required here (MLV_TEST_REQUIRE_GIT_LFS, set by .ci/run)").isTrue();
        }
        assumeTrue(lfs, "git-lfs is not installed");
        mlv = new CliHarness(root);
        // git and mlv share the user's HOME, as on a real machine
        git = new GitCli(root.resolve(".home"), root.resolve("scratch"));
        Files.createDirectories(root.resolve(".home"));
        git.run(root, "lfs", "install", "--skip-repo").assertOk();
        // git-lfs runs lfs.customtransfer.mlv.path as an executable: a script that starts this build's mlv
        launcher = root.resolve("mlv-launcher");
        Files.writeString(launcher, "#!/bin/sh\nexec " + GitCli.javaCommand("dev.mlv.cli.Main") + " \"$@\"\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void gitLfsPushesThroughTheAgentWithDedupeAndAFreshCloneGetsTheBytes() throws Exception {
        Path store = Files.createDirectories(root.resolve("chunk-store"));
        Path bare = root.resolve("origin.git");
        git.run(root, "init", "-q", "--bare", "-b", "main", bare.toString()).assertOk();
        Path a = Files.createDirectories(root.resolve("a"));
        git.run(a, "init", "-q", "-b", "main").assertOk();
        git.run(a, "lfs", "track", "*.bin").assertOk();
        ok(mlv.run("-C", "a", "install", "--lfs-agent", "--launcher", launcher.toString()));
        assertThat(git.run(a, "config", "lfs.standalonetransferagent").assertOk().out().strip()).isEqualTo("mlv");
        ok(mlv.run("-C", "a", "store", "remote", "set", "origin", store.toString()));
        git.run(a, "remote", "add", "origin", bare.toString()).assertOk();

        byte[] v1 = RemoteFixture.random(SIZE, 11);
        Files.write(a.resolve("model.bin"), v1);
        git.run(a, "add", ".gitattributes", ".mlv/config.json", "model.bin").assertOk();
        git.run(a, "commit", "-q", "-m", "v1").assertOk();
        git.run(a, "push", "-q", "origin", "main").assertOk();
        long first = bytesUnder(store);
        assertThat(first).as("the first version is in the chunk store").isGreaterThan(SIZE * 9L / 10);

        byte[] v2 = RemoteFixture.changeTwoPercent(v1, 12);
        Files.write(a.resolve("model.bin"), v2);
        git.run(a, "commit", "-q", "-a", "-m", "v2").assertOk();
        git.run(a, "push", "-q", "origin", "main").assertOk();
        long growth = bytesUnder(store) - first;
        assertThat(growth).as("the store grew by %d bytes for a 2%% edit", growth).isPositive().isLessThan(first / 20);
        // the repository stays plain Git LFS for everyone else
        assertThat(git.run(a, "lfs", "ls-files").assertOk().out()).contains("model.bin");
        assertThat(Files.readString(a.resolve(".gitattributes"))).contains("filter=lfs");

        // a second user: the agent in their global config, the standalone setting for this clone only
        ok(mlv.run("install", "--global", "--lfs-agent", "--launcher", launcher.toString()));
        git.run(root, "clone", "-q", "-c", "lfs.standalonetransferagent=mlv", bare.toString(), "b").assertOk();
        Path b = root.resolve("b");
        assertThat(Files.readAllBytes(b.resolve("model.bin"))).isEqualTo(v2);
        assertThat(git.run(b, "status", "--porcelain").assertOk().out()).isEmpty();
        git.run(b, "checkout", "-q", "HEAD~1").assertOk();
        assertThat(Files.readAllBytes(b.resolve("model.bin"))).isEqualTo(v1);
        assertThat(git.run(b, "status", "--porcelain").assertOk().out()).isEmpty();
    }

    @Test
    void withoutAStoreRemoteThePushFailsSayingWhatToSet() throws Exception {
        Path bare = root.resolve("origin.git");
        git.run(root, "init", "-q", "--bare", "-b", "main", bare.toString()).assertOk();
        Path a = Files.createDirectories(root.resolve("a"));
        git.run(a, "init", "-q", "-b", "main").assertOk();
        git.run(a, "lfs", "track", "*.bin").assertOk();
        ok(mlv.run("-C", "a", "install", "--lfs-agent", "--launcher", launcher.toString()));
        Files.write(a.resolve("model.bin"), RemoteFixture.random(4096, 3));
        git.run(a, "add", ".gitattributes", "model.bin").assertOk();
        git.run(a, "commit", "-q", "-m", "v1").assertOk();
        git.run(a, "remote", "add", "origin", bare.toString()).assertOk();
        GitCli.Result push = git.run(a, Map.of(), "push", "origin", "main");
        assertThat(push.exitCode()).isNotZero();
        assertThat(push.err()).contains("no store remote for 'mlv lfs-agent'", "mlv store remote set");
        assertThat(git.run(bare, "for-each-ref").assertOk().out()).as("no ref was pushed").isEmpty();
    }

    private static void ok(CliHarness.Result r) {
        assertThat(r.exitCode()).as(r.stderr()).isZero();
    }

    private static long bytesUnder(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).sum();
        }
    }
}
