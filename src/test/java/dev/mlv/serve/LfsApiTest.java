package dev.mlv.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlv.cli.CliHarness;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.Session;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Git LFS Batch API and the Git smart HTTP edges of mlv serve, spoken to directly. */
class LfsApiTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LFS = "application/vnd.git-lfs+json";
    private static final String TOKEN = "lfs-t0ken";

    @TempDir
    static Path root;
    static byte[] model;
    static String oid;
    static MlvRepository repo;
    static MlvServer open;
    static MlvServer guarded;

    @BeforeAll
    static void setUp() throws Exception {
        assertThat(new CliHarness(root).run("init", "lfs-repo").exitCode()).isZero();
        Path dir = root.resolve("lfs-repo");
        model = random(1 << 20, 7);
        Files.createDirectories(dir.resolve("models"));
        Files.write(dir.resolve("models/model.bin"), model);
        assertThat(new CliHarness(dir).run("train-commit", "-m", "m").exitCode()).isZero();
        oid = sha256(model);
        repo = MlvRepository.open(dir, new Session(Clock.systemUTC(), Map.of()));
        open = MlvServer.start(repo, ServeOptions.defaults());
        guarded = MlvServer.start(repo, new ServeOptions("127.0.0.1", 0, TOKEN, 4));
    }

    @AfterAll
    static void tearDown() {
        guarded.close();
        open.close();
        repo.close();
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<byte[]> send(MlvServer server, String method, String path, byte[] body, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri().resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<byte[]> batch(MlvServer server, String json, String... headers) throws Exception {
        String[] all = Arrays.copyOf(headers, headers.length + 4);
        all[headers.length] = "Accept";
        all[headers.length + 1] = LFS;
        all[headers.length + 2] = "Content-Type";
        all[headers.length + 3] = LFS;
        return send(server, "POST", "lfs-repo.git/info/lfs/objects/batch", json.getBytes(StandardCharsets.UTF_8), all);
    }

    private static JsonNode json(HttpResponse<byte[]> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private static String request(String operation, String oid, long size) {
        return "{\"operation\":\"" + operation + "\",\"transfers\":[\"basic\"],\"objects\":[{\"oid\":\"" + oid + "\",\"size\":" + size
                + "}],\"hash_algo\":\"sha256\"}";
    }

    @Test
    void downloadPointsAtTheContentEndpointWhichHonoursRange() throws Exception {
        HttpResponse<byte[]> r = batch(open, request("download", oid, model.length));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue(LFS);
        JsonNode doc = json(r);
        assertThat(doc.path("transfer").asText()).isEqualTo("basic");
        JsonNode object = doc.path("objects").get(0);
        assertThat(object.path("oid").asText()).isEqualTo(oid);
        assertThat(object.path("size").asLong()).isEqualTo(model.length);
        String href = object.at("/actions/download/href").asText();
        assertThat(href).isEqualTo(open.uri().resolve("v1/objects/" + oid).toString());

        HttpResponse<byte[]> whole = HTTP.send(HttpRequest.newBuilder(URI.create(href)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(model);
        assertThat(whole.headers().firstValue("ETag")).hasValue("\"" + oid + "\"");
        HttpResponse<byte[]> part = HTTP.send(HttpRequest.newBuilder(URI.create(href)).header("Range", "bytes=1000-1999").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(model, 1000, 2000));
    }

    @Test
    void missingAndInvalidObjectsGetErrorsOfTheirOwn() throws Exception {
        String missing = "ab".repeat(32);
        JsonNode doc = json(batch(open, "{\"operation\":\"download\",\"objects\":["
                + "{\"oid\":\"" + missing + "\",\"size\":5},"
                + "{\"oid\":\"not-an-oid\",\"size\":5},"
                + "{\"oid\":\"" + oid + "\",\"size\":-1},"
                + "{\"oid\":\"" + oid + "\",\"size\":" + (model.length + 1) + "},"
                + "{\"oid\":\"" + oid + "\",\"size\":" + model.length + "}]}"));
        JsonNode objects = doc.path("objects");
        assertThat(objects.get(0).at("/error/code").asInt()).isEqualTo(404);
        assertThat(objects.get(0).has("actions")).isFalse();
        assertThat(objects.get(1).at("/error/code").asInt()).isEqualTo(422);
        assertThat(objects.get(2).at("/error/code").asInt()).isEqualTo(422);
        assertThat(objects.get(3).at("/error/code").asInt()).isEqualTo(422);
        assertThat(objects.get(4).has("error")).isFalse();
        assertThat(objects.get(4).at("/actions/download/href").asText()).endsWith("/v1/objects/" + oid);
        assertThat(send(open, "GET", "v1/objects/" + missing, null).statusCode()).isEqualTo(404);
        assertThat(send(open, "GET", "v1/objects/" + oid.toUpperCase(), null).statusCode()).isEqualTo(404);
    }

    @Test
    void malformedRequestsAreRefusedWholeWithAMessage() throws Exception {
        for (String bad : new String[] {"{not json", "[]", "{\"operation\":\"download\"}", "{\"operation\":\"delete\",\"objects\":[]}",
            "{\"operation\":\"download\",\"objects\":{}}", "{\"operation\":\"download\",\"transfers\":[\"tus\"],\"objects\":[]}"}) {
            HttpResponse<byte[]> r = batch(open, bad);
            assertThat(r.statusCode()).as(bad).isEqualTo(422);
            assertThat(r.headers().firstValue("Content-Type")).hasValue(LFS);
            assertThat(json(r).path("message").asText()).as(bad).isNotBlank();
        }
        assertThat(batch(open, "{\"operation\":\"download\",\"hash_algo\":\"sha512\",\"objects\":[]}").statusCode()).isEqualTo(409);
        assertThat(send(open, "GET", "lfs-repo.git/info/lfs/objects/batch", null).statusCode()).isEqualTo(405);
        assertThat(send(open, "GET", "other.git/info/lfs/objects/batch", null).statusCode()).isEqualTo(404);
    }

    @Test
    void withoutATokenUploadsAreForbidden() throws Exception {
        HttpResponse<byte[]> r = batch(open, request("upload", sha256(new byte[] {1}), 1));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(json(r).path("message").asText()).contains("--token-file");
        assertThat(send(open, "PUT", "lfs-repo.git/info/lfs/objects/" + sha256(new byte[] {1}), new byte[] {1}).statusCode())
                .isEqualTo(403);
    }

    @Test
    void theTokenIsAcceptedAsBearerOrAsTheBasicPasswordAndRefusalsChallengeBasic() throws Exception {
        String body = request("download", oid, model.length);
        HttpResponse<byte[]> none = batch(guarded, body);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"mlv\"");
        assertThat(batch(guarded, body, "Authorization", basic("anyone", "wrong")).statusCode()).isEqualTo(401);
        assertThat(batch(guarded, body, "Authorization", basic(TOKEN, "")).statusCode()).isEqualTo(401);
        assertThat(batch(guarded, body, "Authorization", "Basic !!notbase64").statusCode()).isEqualTo(401);
        assertThat(batch(guarded, body, "Authorization", basic("anyone", TOKEN)).statusCode()).isEqualTo(200);
        assertThat(batch(guarded, body, "Authorization", basic("", TOKEN)).statusCode()).isEqualTo(200);
        assertThat(batch(guarded, body, "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
        assertThat(send(guarded, "GET", "lfs-repo.git/info/refs?service=git-upload-pack", null).statusCode()).isEqualTo(401);
        assertThat(send(guarded, "GET", "v1/objects/" + oid, null).statusCode()).isEqualTo(401);
        // the download action carries the credentials it was asked with, so git-lfs need not ask again
        JsonNode doc = json(batch(guarded, body, "Authorization", basic("anyone", TOKEN)));
        String auth = doc.at("/objects/0/actions/download/header/Authorization").asText();
        assertThat(auth).isEqualTo(basic("anyone", TOKEN));
        assertThat(send(guarded, "GET", "v1/objects/" + oid, null, "Authorization", auth).body()).isEqualTo(model);
    }

    @Test
    void anUploadIsAdmittedOnlyWhenItHashesToItsOid() throws Exception {
        String auth = basic("x", TOKEN);
        byte[] content = random(300_000, 99);
        String newOid = sha256(content);
        JsonNode doc = json(batch(guarded, request("upload", newOid, content.length), "Authorization", auth));
        JsonNode actions = doc.at("/objects/0/actions");
        String upload = actions.at("/upload/href").asText();
        assertThat(upload).endsWith("/lfs-repo.git/info/lfs/objects/" + newOid);
        assertThat(actions.at("/upload/header/Authorization").asText()).isEqualTo(auth);
        String verify = actions.at("/verify/href").asText();
        assertThat(verify).endsWith("/lfs-repo.git/info/lfs/verify");

        // the wrong bytes under the oid: refused, and the oid stays missing
        byte[] tampered = content.clone();
        tampered[12345] ^= 1;
        HttpResponse<byte[]> refused = HTTP.send(HttpRequest.newBuilder(URI.create(upload)).header("Authorization", auth)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(tampered)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(json(refused).path("message").asText()).contains("hash to sha256:" + sha256(tampered));
        String verifyBody = "{\"oid\":\"" + newOid + "\",\"size\":" + content.length + "}";
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(verify)).header("Authorization", auth)
                .POST(HttpRequest.BodyPublishers.ofString(verifyBody)).build(), HttpResponse.BodyHandlers.discarding()).statusCode())
                .isEqualTo(404);
        assertThat(json(batch(guarded, request("download", newOid, content.length), "Authorization", auth))
                .at("/objects/0/error/code").asInt()).isEqualTo(404);

        // the right bytes: admitted, verified, downloadable, and a second upload needs no actions
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(upload)).header("Authorization", auth)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build(), HttpResponse.BodyHandlers.discarding()).statusCode())
                .isEqualTo(200);
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(verify)).header("Authorization", auth)
                .POST(HttpRequest.BodyPublishers.ofString(verifyBody)).build(), HttpResponse.BodyHandlers.discarding()).statusCode())
                .isEqualTo(200);
        assertThat(send(guarded, "GET", "v1/objects/" + newOid, null, "Authorization", auth).body()).isEqualTo(content);
        assertThat(json(batch(guarded, request("upload", newOid, content.length), "Authorization", auth))
                .at("/objects/0").has("actions")).isFalse();
        // an upload without the token never reaches the store
        byte[] small = {1, 2, 3};
        assertThat(HTTP.send(HttpRequest.newBuilder(guarded.uri().resolve("lfs-repo.git/info/lfs/objects/" + sha256(small)))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(small)).build(), HttpResponse.BodyHandlers.discarding()).statusCode())
                .isEqualTo(401);
        assertThat(send(guarded, "GET", "v1/objects/" + sha256(small), null, "Authorization", auth).statusCode()).isEqualTo(404);
    }

    @Test
    void locksVerifyAnswersThatThereAreNoLocks() throws Exception {
        HttpResponse<byte[]> r = send(guarded, "POST", "lfs-repo.git/info/lfs/locks/verify", "{}".getBytes(StandardCharsets.UTF_8),
                "Authorization", basic("x", TOKEN), "Content-Type", LFS);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).path("ours").isArray()).isTrue();
        assertThat(json(r).path("ours")).isEmpty();
        assertThat(json(r).path("theirs")).isEmpty();
        assertThat(send(open, "GET", "lfs-repo.git/info/lfs/locks", null).statusCode()).isEqualTo(200);
    }

    @Test
    void gitSmartHttpAcceptsGzipBodiesAndRefusesPushes() throws Exception {
        byte[] lsRefs = "0014command=ls-refs\n00010009peel\n0000".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(lsRefs);
        }
        HttpResponse<byte[]> r = send(open, "POST", "lfs-repo.git/git-upload-pack", gz.toByteArray(), "Git-Protocol", "version=2",
                "Content-Type", "application/x-git-upload-pack-request", "Content-Encoding", "gzip");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/x-git-upload-pack-result");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("refs/heads/main");

        HttpResponse<byte[]> v0 = send(open, "GET", "lfs-repo.git/info/refs?service=git-upload-pack", null);
        assertThat(new String(v0.body(), StandardCharsets.UTF_8)).startsWith("001e# service=git-upload-pack\n0000")
                .contains("refs/heads/main");
        HttpResponse<byte[]> push = send(open, "GET", "lfs-repo.git/info/refs?service=git-receive-pack", null);
        assertThat(new String(push.body(), StandardCharsets.UTF_8)).contains("ERR mlv serve is read-only");
        assertThat(send(open, "POST", "lfs-repo.git/git-receive-pack", new byte[] {0}).statusCode()).isEqualTo(403);
        assertThat(send(open, "GET", "lfs-repo.git/info/refs", null).statusCode()).isEqualTo(403);
        assertThat(send(open, "POST", "lfs-repo.git/git-upload-pack", lsRefs, "Content-Type", "text/plain").statusCode())
                .isEqualTo(415);
        assertThat(send(open, "POST", "lfs-repo.git/git-upload-pack", lsRefs, "Content-Type",
                "application/x-git-upload-pack-request", "Content-Encoding", "gzip").statusCode()).isEqualTo(400);
    }
}
