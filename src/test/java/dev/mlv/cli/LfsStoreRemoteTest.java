package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlv.testing.FakeLfsServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Git LFS server as a store remote, against an in-memory LFS server with faults to order: push
 * and clone through the Batch API, credentials from git's credential helper (never written by
 * mlv), missing objects, 5xx answers, a refused verify, and what does not apply to LFS.
 */
class LfsStoreRemoteTest {
    private static final String PASSWORD = "s3cret-lfs-pa55word";
    private static final int SIZE = 1 << 20;

    @TempDir
    Path root;
    RemoteFixture f;
    FakeLfsServer server;
    Path log;

    @BeforeEach
    void setUp() throws Exception {
        f = new RemoteFixture(root);
        server = new FakeLfsServer();
        log = root.resolve("credential.log");
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    /** Repository {@code name}: Git remote origin the bare repository, lfs.url the fake server, store remote 'lfs'. */
    private Path repo(String name) throws IOException {
        f.ok("init", name);
        f.ok("-C", name, "remote", "add", "origin", f.bare.toString());
        Path dir = root.resolve(name);
        try (Repository git = new FileRepositoryBuilder().setWorkTree(dir.toFile()).build()) {
            StoredConfig c = git.getConfig();
            c.setString("lfs", null, "url", server.endpoint());
            c.save();
        }
        JsonNode set = f.json("-C", name, "store", "remote", "set", "origin", "lfs", "--json");
        assertThat(set.path("remote").path("url").asText()).isEqualTo(server.endpoint());
        return dir;
    }

    /** A helper in HOME's git config that logs each call outside HOME and gives {@code $LFS_TEST_PASSWORD}. */
    private void credentialHelper(String password) throws IOException {
        Path home = root.resolve(".home");
        Files.createDirectories(home);
        Files.writeString(home.resolve(".gitconfig"), "[credential]\n\thelper = \"!f() { echo \\\"$1\\\" >> " + log
                + "; test \\\"$1\\\" = get && echo username=user && echo password=$LFS_TEST_PASSWORD; }; f\"\n");
        f.mlv.env("LFS_TEST_PASSWORD", password);
    }

    private byte[] commitModel(Path repo, long seed) throws IOException {
        byte[] model = RemoteFixture.random(SIZE, seed);
        RemoteFixture.write(repo.resolve("models/model.bin"), model);
        f.ok("-C", repo.getFileName().toString(), "train-commit", "-m", "model " + seed);
        return model;
    }

    private static boolean containsBytes(Path dir, String secret) throws IOException {
        byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                String content = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
                if (content.contains(new String(needle, StandardCharsets.ISO_8859_1))) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void anObjectAboveTheServersSizeLimitIsRefusedBeforeAnythingIsSent() throws Exception {
        Path a = repo("a");
        Path config = a.resolve(".mlv/config.json");
        Files.writeString(config, Files.readString(config).replace("\"url\" : \"" + server.endpoint() + "\"",
                "\"url\" : \"" + server.endpoint() + "\", \"maxObjectSize\" : 1000"));
        commitModel(a, 5);
        CliHarness.Result push = f.mlv.run("-C", "a", "push");
        assertThat(push.exitCode()).as(push.stderr()).isEqualTo(ExitCodes.USAGE);
        assertThat(push.stderr()).contains("exceed the 1000-byte limit per object", "(" + SIZE + " bytes)",
                "nothing was pushed", "maxObjectSize");
        assertThat(server.requests).as("nothing was asked of the server").isEmpty();
        assertThat(f.remoteRef("refs/heads/main")).isNull();
    }

    @Test
    void pushNeedsCredentialsThenSendsThroughTheCredentialHelperAndCloneDownloads() throws Exception {
        server.password = PASSWORD;
        Path a = repo("a");
        byte[] model = commitModel(a, 1);

        CliHarness.Result refused = f.mlv.run("-C", "a", "push");
        assertThat(refused.exitCode()).as(refused.stderr()).isEqualTo(ExitCodes.REMOTE_UNREACHABLE);
        assertThat(refused.stderr()).contains("asks for credentials (401)").contains("credential.helper");
        assertThat(f.remoteRef("refs/heads/main")).as("no ref before the content").isNull();

        credentialHelper(PASSWORD);
        JsonNode push = f.json("-C", "a", "push", "--json");
        assertThat(push.path("storeRemote").asText()).isEqualTo("origin");
        assertThat(push.path("content").path("files").asLong()).isEqualTo(1);
        assertThat(push.path("content").path("bytes").asLong()).isEqualTo(SIZE);
        assertThat(server.objects.get(FakeLfsServer.sha256(model))).isEqualTo(model);
        assertThat(f.remoteRef("refs/heads/main")).isNotNull();
        assertThat(Files.readAllLines(log)).as("filled, then approved").containsSubsequence("get", "store");
        assertThat(server.requests).anyMatch(r -> r.startsWith("POST /verify auth"));

        // mlv wrote the password nowhere: not in the repository, not in HOME
        assertThat(containsBytes(a, PASSWORD)).isFalse();
        assertThat(containsBytes(root.resolve(".home"), PASSWORD)).isFalse();

        long puts = server.requests.stream().filter(r -> r.startsWith("PUT ")).count();
        JsonNode again = f.json("-C", "a", "push", "--json");
        assertThat(again.path("content").path("files").asLong()).as("the host's refs reach it").isZero();
        assertThat(server.requests.stream().filter(r -> r.startsWith("PUT ")).count()).isEqualTo(puts);

        f.ok("clone", f.bare.toString(), "b");
        Path b = root.resolve("b");
        assertThat(Files.readAllBytes(b.resolve("models/model.bin"))).isEqualTo(model);
        assertThat(Files.readString(b.resolve(".mlv/config.json"))).contains(server.endpoint()).doesNotContain(PASSWORD);
        assertThat(server.requests).anyMatch(r -> r.startsWith("GET /download/"));

        // pull of a new version downloads it through the server too
        byte[] v2 = commitModel(a, 2);
        f.ok("-C", "a", "push");
        JsonNode pull = f.json("-C", "b", "pull", "--json");
        assertThat(pull.path("content").path("files").asLong()).isEqualTo(1);
        assertThat(Files.readAllBytes(b.resolve("models/model.bin"))).isEqualTo(v2);
    }

    @Test
    void refusedCredentialsAreRejectedInTheHelper() throws Exception {
        server.password = PASSWORD;
        Path a = repo("a");
        commitModel(a, 1);
        credentialHelper("wrong");
        CliHarness.Result r = f.mlv.run("-C", "a", "push");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(ExitCodes.REMOTE_UNREACHABLE);
        assertThat(r.stderr()).contains("refused the credentials").doesNotContain("wrong");
        assertThat(Files.readAllLines(log)).containsSubsequence("get", "erase");
        assertThat(f.remoteRef("refs/heads/main")).isNull();
    }

    @Test
    void missingObjectOnTheServerIsNotFound() throws Exception {
        Path a = repo("a");
        byte[] model = commitModel(a, 1);
        f.ok("-C", "a", "push");
        server.objects.remove(FakeLfsServer.sha256(model));
        CliHarness.Result r = f.mlv.run("clone", f.bare.toString(), "b");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.stderr()).contains("not on the LFS server").contains(FakeLfsServer.sha256(model));
    }

    @Test
    void aDownloadThatDoesNotHashToItsOidIsNotAdmitted() throws Exception {
        Path a = repo("a");
        byte[] model = commitModel(a, 1);
        f.ok("-C", "a", "push");
        server.corruptDownloads = true;
        CliHarness.Result r = f.mlv.run("clone", f.bare.toString(), "b");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(ExitCodes.INTEGRITY);
        assertThat(r.stderr()).contains("hash to sha256:").contains(FakeLfsServer.sha256(model));
        assertThat(root.resolve("b/models/model.bin")).doesNotExist();

        try (Stream<Path> tmp = Files.walk(root)) {
            assertThat(tmp.filter(p -> p.getFileName().toString().matches("lfs-.*\\.tmp"))).as("temp files removed").isEmpty();
        }
    }

    @Test
    void serverErrorsAreRetriedUntilItRecovers() throws Exception {
        Path a = repo("a");
        byte[] model = commitModel(a, 1);
        server.failures.set(2);
        JsonNode push = f.json("-C", "a", "push", "--json");
        assertThat(push.path("content").path("files").asLong()).isEqualTo(1);
        assertThat(server.objects.get(FakeLfsServer.sha256(model))).isEqualTo(model);
        assertThat(server.requests.stream().filter(r -> r.startsWith("POST /repo.git/info/lfs/objects/batch")).count())
                .as("two 500s, then the answer").isEqualTo(3);

        server.failures.set(2);
        f.ok("clone", f.bare.toString(), "b");
        assertThat(Files.readAllBytes(root.resolve("b/models/model.bin"))).isEqualTo(model);

        server.failures.set(100);
        byte[] v2 = commitModel(a, 2);
        CliHarness.Result r = f.mlv.run("-C", "a", "push");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(ExitCodes.REMOTE_UNREACHABLE);
        assertThat(r.stderr()).contains("answered 500");
        assertThat(server.objects).doesNotContainKey(FakeLfsServer.sha256(v2));
    }

    @Test
    void aFailedVerifyStopsThePushBeforeTheRefs() throws Exception {
        Path a = repo("a");
        commitModel(a, 1);
        server.verifyFails = true;
        CliHarness.Result r = f.mlv.run("-C", "a", "push");
        assertThat(r.exitCode()).as(r.stderr()).isNotZero();
        assertThat(r.stderr()).contains("did not verify the upload").contains("object size mismatch");
        assertThat(f.remoteRef("refs/heads/main")).isNull();

        // once the server verifies, the next push finds the object there and sends the refs
        server.verifyFails = false;
        JsonNode again = f.json("-C", "a", "push", "--json");
        assertThat(again.path("content").path("files").asLong()).isZero();
        assertThat(again.path("content").path("filesSkipped").asLong()).as("the server has it").isEqualTo(1);
        assertThat(f.remoteRef("refs/heads/main")).isNotNull();
    }

    @Test
    void gcRemoteAndFsckRemoteRefuseAnLfsServer() throws Exception {
        Path a = repo("a");
        commitModel(a, 1);
        CliHarness.Result gc = f.mlv.run("-C", "a", "gc", "--remote");
        assertThat(gc.exitCode()).as(gc.stderr()).isEqualTo(ExitCodes.USAGE);
        assertThat(gc.stderr()).contains("is a Git LFS server").contains("gc --remote applies to chunked store remotes");
        CliHarness.Result fsck = f.mlv.run("-C", "a", "fsck", "--remote");
        assertThat(fsck.exitCode()).as(fsck.stderr()).isEqualTo(ExitCodes.USAGE);
        assertThat(fsck.stderr()).contains("is a Git LFS server").contains("fsck --remote");
        assertThat(f.mlv.run("-C", "a", "fsck").exitCode()).as("a local fsck is unaffected").isZero();
        assertThat(server.requests).isEmpty();
    }

    @Test
    void storeRemoteSetFindsTheLfsUrlAsGitLfsDoesAndRefusesCredentials() throws Exception {
        f.ok("init", "c");
        f.ok("-C", "c", "remote", "add", "origin", "https://user:tok3n@git.example.com/team/models");
        JsonNode derived = f.json("-C", "c", "store", "remote", "set", "origin", "lfs", "--json");
        assertThat(derived.path("remote").path("url").asText()).isEqualTo("https://git.example.com/team/models.git/info/lfs");
        assertThat(Files.readString(root.resolve("c/.mlv/config.json"))).doesNotContain("tok3n");

        Files.writeString(root.resolve("c/.lfsconfig"), "[lfs]\n\turl = https://lfs.example.com/team/models.git/info/lfs\n");
        JsonNode fromLfsconfig = f.json("-C", "c", "store", "remote", "set", "origin", "lfs", "--json");
        assertThat(fromLfsconfig.path("remote").path("url").asText()).isEqualTo("https://lfs.example.com/team/models.git/info/lfs");

        CliHarness.Result withUser = f.mlv.run("-C", "c", "store", "remote", "set", "origin",
                "https://me:pw@git.example.com/team/models.git/info/lfs");
        assertThat(withUser.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(withUser.stderr()).contains("must not contain credentials").doesNotContain("pw@");

        JsonNode explicit = f.json("-C", "c", "store", "remote", "set", "backup",
                "http://127.0.0.1:8080/models.git/info/lfs", "--json");
        assertThat(explicit.path("remote").path("url").asText()).isEqualTo("http://127.0.0.1:8080/models.git/info/lfs");

        Files.delete(root.resolve("c/.lfsconfig"));
        f.ok("-C", "c", "remote", "add", "disk", root.resolve("elsewhere.git").toString());
        CliHarness.Result noHost = f.mlv.run("-C", "c", "store", "remote", "set", "disk", "lfs");
        assertThat(noHost.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noHost.stderr()).contains("set lfs.url");
        assertThat(List.of(Files.readString(root.resolve("c/.mlv/config.json")))).noneMatch(s -> s.contains("\"disk\""));
    }
}
