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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stock git and git-lfs against {@code mlv serve}, with no mlv anywhere in their environment (a
 * sandbox HOME, no system config, PATH of /usr/bin and /bin): clone over smart HTTP, then the
 * large files through the Git LFS Batch API, on two branches.
 */
@Slow
class GitHostTest {
    /**
     * {@code git clone} with what a git-lfs user sets so that git's filter for mlv's files is
     * git-lfs's (docs/git-interop.md); {@code clone -c} also writes it into the clone's config.
     */
    private static final String[] CLONE = {
        "clone", "-c", "filter.mlv.process=git-lfs filter-process", "-c", "filter.mlv.required=true",
    };
    private static final Map<String, String> NO_MLV = Map.of("PATH", "/usr/bin:/bin", "GIT_TERMINAL_PROMPT", "0",
            "GIT_ASKPASS", "", "SSH_ASKPASS", "");

    @TempDir
    static Path root;
    static byte[] mainModel;
    static byte[] expModel;
    static MlvRepository repo;

    @BeforeAll
    static void setUp() throws Exception {
        boolean lfs = GitCli.available("lfs", "version");
        if (System.getenv("MLV_TEST_REQUIRE_GIT_LFS") != null) {
            assertThat(lfs).as("git-lfs is required here (MLV_TEST_REQUIRE_GIT_LFS, set by .ci/run)").isTrue();
        }
        assumeTrue(lfs, "git-lfs is not installed");
        assertThat(new CliHarness(root).run("init", "models-repo").exitCode()).isZero();
        Path dir = root.resolve("models-repo");
        CliHarness mlv = new CliHarness(dir);
        mainModel = random(3 << 20, 1);
        expModel = random((2 << 20) + 17, 2);
        Files.createDirectories(dir.resolve("models"));
        Files.createDirectories(dir.resolve("metrics"));
        Files.write(dir.resolve("models/model.bin"), mainModel);
        Files.writeString(dir.resolve("metrics/metrics.json"), "{\"accuracy\": 0.91}");
        assertThat(mlv.run("train-commit", "-m", "first").exitCode()).isZero();
        assertThat(mlv.run("exp", "new", "wide").exitCode()).isZero();
        Files.write(dir.resolve("models/model.bin"), expModel);
        Files.writeString(dir.resolve("metrics/metrics.json"), "{\"accuracy\": 0.94}");
        assertThat(mlv.run("train-commit", "-m", "wider").exitCode()).isZero();
        assertThat(mlv.run("switch", "main").exitCode()).isZero();
        repo = MlvRepository.open(dir, new Session(Clock.systemUTC(), Map.of()));
    }

    @AfterAll
    static void tearDown() {
        if (repo != null) {
            repo.close();
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** A git-lfs user: their own HOME, where {@code git lfs install} has set up git-lfs's own filter. */
    private static GitCli git(String user) throws Exception {
        GitCli git = new GitCli(root.resolve("home-" + user), root.resolve("scratch-" + user));
        Files.createDirectories(root.resolve("home-" + user));
        git.run(root, NO_MLV, "lfs", "install", "--skip-repo").assertOk();
        return git;
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void stockGitClonesAndGitLfsPullsBothBranches() throws Exception {
        try (MlvServer server = MlvServer.start(repo, ServeOptions.defaults())) {
            GitCli git = git("plain");
            Path work = root.resolve("plain");
            Files.createDirectories(work);
            String url = server.gitUri().toString();
            assertThat(url).endsWith("/models-repo.git");
            // the clone itself leaves the pointers (no smudge), then git lfs pull brings the bytes
            git.run(work, Map.of("PATH", "/usr/bin:/bin", "GIT_LFS_SKIP_SMUDGE", "1"),
                    concat(CLONE, url, "clone")).assertOk();
            Path clone = work.resolve("clone");
            assertThat(Files.size(clone.resolve("models/model.bin"))).isLessThan(200);
            GitCli.Result pull = git.run(clone, NO_MLV, "lfs", "pull").assertOk();
            assertThat(Files.readAllBytes(clone.resolve("models/model.bin"))).isEqualTo(mainModel);
            assertThat(git.run(clone, NO_MLV, "status", "--porcelain").assertOk().out()).as(pull.err()).isEmpty();
            // the other branch: git's checkout smudges through git-lfs, which downloads from serve
            git.run(clone, NO_MLV, "checkout", "wide").assertOk();
            assertThat(Files.readAllBytes(clone.resolve("models/model.bin"))).isEqualTo(expModel);
            assertThat(git.run(clone, NO_MLV, "status", "--porcelain").assertOk().out()).isEmpty();
            assertThat(Files.readString(clone.resolve("metrics/metrics.json"))).contains("0.94");
            // only branches, tags and HEAD are advertised
            assertThat(git.run(clone, NO_MLV, "ls-remote", url).assertOk().out()).contains("refs/heads/main", "refs/heads/wide")
                    .doesNotContain("refs/remotes/").doesNotContain("refs/mlv");
            // read-only: a push is refused with a message saying so
            GitCli.Result push = git.run(clone, NO_MLV, "push", "origin", "HEAD:refs/heads/other");
            assertThat(push.exitCode()).isNotZero();
            assertThat(push.err()).contains("mlv serve is read-only");
        }
    }

    @Test
    void protocolV0CloneWithSmudgeDuringTheClone() throws Exception {
        try (MlvServer server = MlvServer.start(repo, ServeOptions.defaults())) {
            GitCli git = git("v0");
            Path work = root.resolve("v0");
            Files.createDirectories(work);
            git.run(work, NO_MLV, concat(CLONE, "-c", "protocol.version=0", "--branch", "wide",
                    server.gitUri().toString(), "clone")).assertOk();
            Path clone = work.resolve("clone");
            assertThat(Files.readAllBytes(clone.resolve("models/model.bin"))).isEqualTo(expModel);
            assertThat(git.run(clone, NO_MLV, "-c", "protocol.version=0", "fetch", "origin").exitCode()).isZero();
            assertThat(git.run(clone, NO_MLV, "status", "--porcelain").assertOk().out()).isEmpty();
        }
    }

    @Test
    void withATokenCloneNeedsItThroughACredentialHelperOrTheUrl() throws Exception {
        String token = "t0ken-for-git";
        try (MlvServer server = MlvServer.start(repo, new ServeOptions("127.0.0.1", 0, token, 4))) {
            GitCli git = git("token");
            Path work = root.resolve("token");
            Files.createDirectories(work);
            String url = server.gitUri().toString();

            GitCli.Result refused = git.run(work, NO_MLV, concat(CLONE, url, "refused"));
            assertThat(refused.exitCode()).isNotZero();
            assertThat(refused.err()).containsAnyOf("Authentication failed", "could not read Username");
            assertThat(work.resolve("refused")).doesNotExist();

            String helper = "!f() { echo username=anyone; echo password=" + token + "; }; f";
            git.run(work, NO_MLV, concat(CLONE, "-c", "credential.helper=" + helper, url, "helped")).assertOk();
            assertThat(Files.readAllBytes(work.resolve("helped/models/model.bin"))).isEqualTo(mainModel);
            assertThat(git.run(work.resolve("helped"), NO_MLV, "status", "--porcelain").assertOk().out()).isEmpty();

            String withUserInfo = url.replace("http://", "http://someone:" + token + "@");
            git.run(work, NO_MLV, concat(CLONE, "--branch", "wide", withUserInfo, "userinfo")).assertOk();
            assertThat(Files.readAllBytes(work.resolve("userinfo/models/model.bin"))).isEqualTo(expModel);

            GitCli.Result wrong = git.run(work, NO_MLV, concat(CLONE,
                    url.replace("http://", "http://someone:wrong@"), "wrong"));
            assertThat(wrong.exitCode()).isNotZero();
        }
    }

    @Test
    void gitLfsPushUploadsIntoTheStoreWithTheToken() throws Exception {
        String token = "t0ken-for-push";
        try (MlvServer server = MlvServer.start(repo, new ServeOptions("127.0.0.1", 0, token, 4))) {
            GitCli git = git("pusher");
            Path lfsRepo = root.resolve("pusher/plain-lfs");
            Files.createDirectories(lfsRepo);
            git.run(lfsRepo, NO_MLV, "init", "-q", "-b", "main").assertOk();
            git.run(lfsRepo, NO_MLV, "lfs", "track", "*.bin").assertOk();
            byte[] weights = random(700_000, 3);
            Files.write(lfsRepo.resolve("weights.bin"), weights);
            git.run(lfsRepo, NO_MLV, "add", ".gitattributes", "weights.bin").assertOk();
            git.run(lfsRepo, NO_MLV, "commit", "-q", "-m", "weights").assertOk();
            String helper = "!f() { echo username=anyone; echo password=" + token + "; }; f";
            git.run(lfsRepo, NO_MLV, "config", "credential.helper", helper).assertOk();
            git.run(lfsRepo, NO_MLV, "remote", "add", "origin", server.gitUri().toString()).assertOk();
            // git lfs asks /locks/verify first; an answer it refuses would stop the push
            GitCli.Result push = git.run(lfsRepo, Map.of("PATH", "/usr/bin:/bin", "GIT_TERMINAL_PROMPT", "0",
                    "GIT_TRACE", "1"), "lfs", "push", "origin", "main");
            assertThat(push.exitCode()).as(push.err()).isZero();
            assertThat(push.err()).contains("locks/verify").doesNotContain("does not support the Git LFS locking API");
            String weightsOid = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(weights));
            var http = java.net.http.HttpClient.newHttpClient();
            var got = http.send(java.net.http.HttpRequest.newBuilder(server.uri().resolve("v1/objects/" + weightsOid))
                    .header("Authorization", "Bearer " + token).build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            assertThat(got.statusCode()).isEqualTo(200);
            assertThat(got.body()).isEqualTo(weights);
        }
    }
}
