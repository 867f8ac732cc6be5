package dev.mlv.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlv.cli.CliHarness;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.Session;
import dev.mlv.testing.GitCli;
import dev.mlv.testing.Slow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.StoredConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mlv pushes to {@code mlv serve}'s Git LFS endpoint as to any LFS server (the Git refs to a bare
 * {@code file://} repository whose LFS URL is serve's), with serve's token from a credential
 * helper; a fresh mlv clone downloads through it, and a git-lfs user fetches the same objects.
 */
@Slow
class LfsStoreRemoteServeTest {
    private static final String TOKEN = "serve-t0ken-for-lfs";
    private static final Map<String, String> NO_MLV = Map.of("PATH", "/usr/bin:/bin", "GIT_TERMINAL_PROMPT", "0");

    @TempDir
    Path root;

    @Test
    void mlvPushesToServeAndBothMlvAndGitLfsGetTheContent() throws Exception {
        assumeTrue(GitCli.available("lfs", "version"), "git-lfs is not installed");
        CliHarness mlv = new CliHarness(root);
        assertThat(mlv.run("init", "served").exitCode()).isZero();
        Path bare = root.resolve("origin.git");
        try (Git ignored = Git.init().setBare(true).setDirectory(bare.toFile()).setInitialBranch("main").call()) {
            // the Git host: an empty bare repository
        }
        String origin = bare.toUri().toString();
        byte[] model = new byte[(3 << 20) + 5];
        new Random(7).nextBytes(model);
        String oid = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(model));

        try (MlvRepository served = MlvRepository.open(root.resolve("served"), new Session(Clock.systemUTC(), Map.of()));
             MlvServer server = MlvServer.start(served, new ServeOptions("127.0.0.1", 0, TOKEN, 4))) {
            String lfsUrl = server.gitUri() + "/info/lfs";
            // the helper reads the token from the environment: nothing in HOME holds it
            Files.createDirectories(root.resolve(".home"));
            Files.writeString(root.resolve(".home/.gitconfig"), "[credential]\n\thelper = \"!f() { test \\\"$1\\\" = get"
                    + " && echo username=mlv && echo password=$SERVE_TOKEN; }; f\"\n");
            mlv.env("SERVE_TOKEN", TOKEN);

            assertThat(mlv.run("init", "a").exitCode()).isZero();
            assertThat(mlv.run("-C", "a", "remote", "add", "origin", origin).exitCode()).isZero();
            try (Git a = Git.open(root.resolve("a").toFile())) {
                StoredConfig c = a.getRepository().getConfig();
                c.setString("lfs", null, "url", lfsUrl);
                c.save();
            }
            CliHarness.Result set = mlv.run("-C", "a", "store", "remote", "set", "origin", "lfs");
            assertThat(set.exitCode()).as(set.stderr()).isZero();
            Files.createDirectories(root.resolve("a/models"));
            Files.write(root.resolve("a/models/model.bin"), model);
            assertThat(mlv.run("-C", "a", "train-commit", "-m", "model").exitCode()).isZero();
            CliHarness.Result push = mlv.run("-C", "a", "push", "--json");
            assertThat(push.exitCode()).as(push.stderr()).isZero();
            JsonNode pushed = new ObjectMapper().readTree(push.stdout());
            assertThat(pushed.path("content").path("files").asLong()).isEqualTo(1);
            assertThat(new dev.mlv.core.serving.LfsObjects(served).size(oid)).as("in serve's store").isEqualTo(model.length);
            for (Path dir : new Path[] {root.resolve("a"), root.resolve(".home")}) {
                try (var files = Files.walk(dir)) {
                    for (Path p : files.filter(Files::isRegularFile).toList()) {
                        assertThat(new String(Files.readAllBytes(p), java.nio.charset.StandardCharsets.ISO_8859_1))
                                .as("%s holds the token", p).doesNotContain(TOKEN);
                    }
                }
            }

            CliHarness.Result clone = mlv.run("clone", origin, "b");
            assertThat(clone.exitCode()).as(clone.stderr()).isZero();
            assertThat(Files.readAllBytes(root.resolve("b/models/model.bin"))).isEqualTo(model);

            // a git-lfs user: stock git and git-lfs, their own HOME, no mlv
            Path home = Files.createDirectories(root.resolve("home-lfs"));
            GitCli git = new GitCli(home, root.resolve("scratch"));
            git.run(root, NO_MLV, "lfs", "install", "--skip-repo").assertOk();
            git.run(root, NO_MLV, "config", "--global", "credential.helper",
                    "!f() { echo username=anyone; echo password=" + TOKEN + "; }; f").assertOk();
            git.run(root, Map.of("PATH", "/usr/bin:/bin", "GIT_LFS_SKIP_SMUDGE", "1"), "clone", "-q",
                    "-c", "filter.mlv.process=git-lfs filter-process", "-c", "filter.mlv.required=true",
                    "-c", "lfs.url=" + lfsUrl, origin, "c").assertOk();
            git.run(root.resolve("c"), NO_MLV, "lfs", "fetch", "origin", "main").assertOk();
            Path object = root.resolve("c/.git/lfs/objects").resolve(oid.substring(0, 2)).resolve(oid.substring(2, 4))
                    .resolve(oid);
            assertThat(Files.readAllBytes(object)).isEqualTo(model);
        }
    }
}
