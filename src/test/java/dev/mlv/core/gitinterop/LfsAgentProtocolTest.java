package dev.mlv.core.gitinterop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlv.core.Session;
import dev.mlv.testing.GitSandbox;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mlv lfs-agent}'s side of git-lfs's custom transfer protocol, driven line by line as
 * git-lfs drives it: answers on one line each, progress that ends at the object's size, and a
 * failure of one object answered for that object while the next still transfers.
 */
class LfsAgentProtocolTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;
    Path repo;
    Path store;

    @BeforeEach
    void setUp() throws Exception {
        GitSandbox.install();
        repo = root.resolve("repo");
        try (Git ignored = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            // a plain Git repository, as git-lfs users have
        }
        store = Files.createDirectories(root.resolve("store"));
        Files.createDirectories(repo.resolve(".mlv"));
        Files.writeString(repo.resolve(".mlv/config.json"), "{\"version\": 1, \"store\": {\"remotes\": {\"origin\": {\"url\": "
                + JSON.writeValueAsString(store.toString()) + "}}}}");
    }

    private List<JsonNode> run(Path dir, String... lines) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        byte[] in = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        new LfsAgent(new Session(Clock.systemUTC(), Map.of())).setDirectory(dir)
                .setChannel(new ByteArrayInputStream(in), out, new PrintStream(err, true, StandardCharsets.UTF_8)).call();
        List<JsonNode> answers = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            answers.add(JSON.readTree(line));
        }
        return answers;
    }

    private static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }

    private static String upload(String oid, long size, Path path) {
        return "{\"event\":\"upload\",\"oid\":\"" + oid + "\",\"size\":" + size + ",\"path\":\"" + path + "\",\"action\":null}";
    }

    private static String download(String oid, long size) {
        return "{\"event\":\"download\",\"oid\":\"" + oid + "\",\"size\":" + size + ",\"action\":null}";
    }

    private static List<JsonNode> completes(List<JsonNode> answers) {
        return answers.stream().filter(a -> a.path("event").asText().equals("complete")).toList();
    }

    @Test
    void uploadsThenDownloadsWithProgressAndAnswersEachFailureForItsObjectOnly() throws Exception {
        byte[] model = new byte[(9 << 20) + 3];
        new Random(5).nextBytes(model);
        String oid = sha256(model);
        Path object = Files.write(root.resolve("object"), model);
        Path liar = Files.write(root.resolve("liar"), "not the content".getBytes(StandardCharsets.UTF_8));
        String missing = sha256("never stored".getBytes(StandardCharsets.UTF_8));

        List<JsonNode> up = run(repo, "{\"event\":\"init\",\"operation\":\"upload\",\"concurrent\":false,\"concurrenttransfers\":8}",
                upload(oid, model.length, liar), upload(oid, model.length, object), "{\"event\":\"terminate\"}");
        assertThat(up.get(0).size()).as("init answers {}").isZero();
        List<JsonNode> done = completes(up);
        assertThat(done).hasSize(2);
        assertThat(done.get(0).path("error").path("message").asText()).contains("hashes to", "nothing was sent");
        assertThat(done.get(1).has("error")).as(done.get(1).toString()).isFalse();
        JsonNode last = up.get(up.indexOf(done.get(1)) - 1);
        assertThat(last.path("event").asText()).isEqualTo("progress");
        assertThat(last.path("bytesSoFar").asLong()).isEqualTo(model.length);
        assertThat(up.stream().filter(a -> a.path("oid").asText().equals(oid) && a.path("event").asText().equals("progress"))
                .mapToLong(a -> a.path("bytesSinceLast").asLong()).sum()).as("increments add up to the size").isEqualTo(model.length);
        try (var manifests = Files.walk(store.resolve("manifests"))) {
            assertThat(manifests.filter(Files::isRegularFile).map(p -> p.getFileName().toString())).containsExactly(oid);
        }
        try (var locks = Files.list(store.resolve("locks"))) {
            assertThat(locks).as("the lock is released at terminate").isEmpty();
        }

        // another repository with the same store remote and an empty local store: everything comes from the store remote
        Path other = root.resolve("other");
        Git.init().setDirectory(other.toFile()).call().close();
        Files.createDirectories(other.resolve(".mlv"));
        Files.copy(repo.resolve(".mlv/config.json"), other.resolve(".mlv/config.json"));
        List<JsonNode> down = run(other, "{\"event\":\"init\",\"operation\":\"download\",\"concurrent\":false,\"concurrenttransfers\":8}",
                download(missing, 12), download(oid, model.length), "{\"event\":\"terminate\"}");
        List<JsonNode> got = completes(down);
        assertThat(got.get(0).path("error").path("code").asInt()).isEqualTo(LfsAgent.TRANSFER_FAILED);
        assertThat(got.get(0).has("path")).isFalse();
        Path file = Path.of(got.get(1).path("path").asText());
        assertThat(file).startsWith(other.resolve(".git/mlv/tmp"));
        assertThat(Files.readAllBytes(file)).isEqualTo(model);
    }

    @Test
    @dev.mlv.testing.S3
    void anS3StoreRemoteTakesTheUploadAndGivesItBackToAnotherRepository() throws Exception {
        try (dev.mlv.store.backend.S3ProxyFixture s3 = dev.mlv.store.backend.S3ProxyFixture.start()) {
            String config = "{\"version\": 1, \"store\": {\"remotes\": {\"origin\": {\"url\": \"s3://" + s3.bucket()
                    + "/agent\", \"endpoint\": \"" + s3.endpoint() + "\", \"region\": \"us-east-1\", \"pathStyle\": true}}}}";
            Files.writeString(repo.resolve(".mlv/config.json"), config);
            byte[] model = new byte[(3 << 20) + 1];
            new Random(8).nextBytes(model);
            String oid = sha256(model);
            Path object = Files.write(root.resolve("object"), model);
            List<JsonNode> up = run(repo, "{\"event\":\"init\",\"operation\":\"upload\"}", upload(oid, model.length, object),
                    "{\"event\":\"terminate\"}");
            assertThat(completes(up).get(0).has("error")).as(up.toString()).isFalse();

            Path other = root.resolve("other");
            Git.init().setDirectory(other.toFile()).call().close();
            Files.createDirectories(other.resolve(".mlv"));
            Files.writeString(other.resolve(".mlv/config.json"), config);
            List<JsonNode> down = run(other, "{\"event\":\"init\",\"operation\":\"download\"}", download(oid, model.length),
                    "{\"event\":\"terminate\"}");
            JsonNode got = completes(down).get(0);
            assertThat(got.has("error")).as(down.toString()).isFalse();
            assertThat(Files.readAllBytes(Path.of(got.path("path").asText()))).isEqualTo(model);
        }
    }

    @Test
    void initFailsWithTheNextStepWhenNoStoreRemoteIsConfiguredOrItIsAnLfsServer() throws Exception {
        Files.delete(repo.resolve(".mlv/config.json"));
        List<JsonNode> none = run(repo, "{\"event\":\"init\",\"operation\":\"upload\"}",
                upload(sha256(new byte[1]), 1, root.resolve("x")), "{\"event\":\"terminate\"}");
        assertThat(none.get(0).path("error").path("code").asInt()).isEqualTo(LfsAgent.INIT_FAILED);
        assertThat(none.get(0).path("error").path("message").asText()).contains("mlv store remote set origin URL");
        assertThat(completes(none).get(0).has("error")).as("a transfer after a failed init fails too").isTrue();

        Files.writeString(repo.resolve(".mlv/config.json"),
                "{\"version\": 1, \"store\": {\"remotes\": {\"origin\": {\"url\": \"https://git.example.com/m.git/info/lfs\"}}}}");
        List<JsonNode> lfs = run(repo, "{\"event\":\"init\",\"operation\":\"download\"}", "{\"event\":\"terminate\"}");
        assertThat(lfs.get(0).path("error").path("message").asText()).contains("is a Git LFS server", "chunked store remote");
    }
}
