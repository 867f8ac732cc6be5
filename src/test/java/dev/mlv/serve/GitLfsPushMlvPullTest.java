package dev.mlv.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mlv.cli.CliHarness;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.Session;
import dev.mlv.testing.GitCli;
import dev.mlv.testing.Slow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Random;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.StoredConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The other direction of a mixed team: a git-lfs user (stock git and git-lfs, no mlv) clones from a
 * bare {@code file://} repository whose LFS URL is {@code mlv serve}'s, commits a new model and
 * pushes (git-lfs's pre-push hook uploads it to serve with the token from a credential helper);
 * an mlv user whose store remote is that LFS server then gets the bytes with {@code mlv pull}.
 */
@Slow
class GitLfsPushMlvPullTest {
    private static final String TOKEN = "serve-t0ken-both-ways";

    @TempDir
    Path root;

    @Test
    void aGitLfsUsersPushReachesAnMlvUsersPull() throws Exception {
        assumeTrue(GitCli.available("lfs", "version"), "git-lfs is not installed");
        CliHarness mlv = new CliHarness(root);
        assertThat(mlv.run("init", "served").exitCode()).isZero();
        Path bare = root.resolve("origin.git");
        Git.init().setBare(true).setDirectory(bare.toFile()).setInitialBranch("main").call().close();
        String origin = bare.toUri().toString();
        Random random = new Random(21);
        byte[] v1 = new byte[(1 << 20) + 3];
        random.nextBytes(v1);
        byte[] v2 = new byte[(2 << 20) + 9];
        random.nextBytes(v2);

        try (MlvRepository served = MlvRepository.open(root.resolve("served"), new Session(Clock.systemUTC(), Map.of()));
             MlvServer server = MlvServer.start(served, new ServeOptions("127.0.0.1", 0, TOKEN, 4))) {
            String lfsUrl = server.gitUri() + "/info/lfs";
            String helper = "!f() { test \"$1\" = get && echo username=anyone && echo password=" + TOKEN + "; }; f";

            // the mlv user: the Git LFS server is their store remote; the first model goes through it
            assertThat(mlv.run("init", "a").exitCode()).isZero();
            Path a = root.resolve("a");
            assertThat(mlv.run("-C", "a", "remote", "add", "origin", origin).exitCode()).isZero();
            try (Git git = Git.open(a.toFile())) {
                StoredConfig c = git.getRepository().getConfig();
                c.setString("lfs", null, "url", lfsUrl);
                c.setString("credential", null, "helper", helper);
                c.save();
            }
            assertThat(mlv.run("-C", "a", "store", "remote", "set", "origin", "lfs").exitCode()).isZero();
            Files.createDirectories(a.resolve("models"));
            Files.write(a.resolve("models/model.bin"), v1);
            assertThat(mlv.run("-C", "a", "train-commit", "-m", "v1").exitCode()).isZero();
            CliHarness.Result push = mlv.run("-C", "a", "push");
            assertThat(push.exitCode()).as(push.stderr()).isZero();

            // the git-lfs user: their own HOME, git-lfs's filter for mlv's files, the LFS URL for the clone
            Path home = Files.createDirectories(root.resolve("home-lfs"));
            GitCli git = new GitCli(home, root.resolve("scratch"));
            Map<String, String> noMlv = Map.of("PATH", "/usr/bin:/bin", "GIT_TERMINAL_PROMPT", "0");
            git.run(root, noMlv, "lfs", "install", "--skip-repo").assertOk();
            git.run(root, noMlv, "config", "--global", "credential.helper", helper).assertOk();
            git.run(root, noMlv, "clone", "-q", "-c", "filter.mlv.process=git-lfs filter-process",
                    "-c", "filter.mlv.required=true", "-c", "lfs.url=" + lfsUrl, origin, "c").assertOk();
            Path c = root.resolve("c");
            assertThat(Files.readAllBytes(c.resolve("models/model.bin"))).isEqualTo(v1);
            Files.write(c.resolve("models/model.bin"), v2);
            git.run(c, noMlv, "commit", "-q", "-a", "-m", "v2 from git-lfs").assertOk();
            assertThat(git.run(c, noMlv, "show", "HEAD:models/model.bin").assertOk().out())
                    .as("git-lfs committed a pointer").startsWith("version https://git-lfs.github.com/spec/v1");
            GitCli.Result pushed = git.run(c, noMlv, "push", "origin", "main");
            assertThat(pushed.exitCode()).as(pushed.err()).isZero();

            // the mlv user pulls: the commit from Git, the bytes from serve's LFS API
            CliHarness.Result pull = mlv.run("-C", "a", "pull");
            assertThat(pull.exitCode()).as(pull.stderr()).isZero();
            assertThat(Files.readAllBytes(a.resolve("models/model.bin"))).isEqualTo(v2);
            assertThat(mlv.run("-C", "a", "status").stdout()).contains("nothing to commit");
        }
    }
}
