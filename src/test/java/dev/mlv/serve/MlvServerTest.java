package dev.mlv.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlv.cli.CliHarness;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.Session;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
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
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mlv serve's HTTP API against a repository with a 3 MiB model on prod and on exp/x. */
class MlvServerTest {
    private static final int SIZE = 3 << 20;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path root;
    static byte[] model;
    static String oid;
    static MlvRepository repo;
    static MlvServer server;

    @BeforeAll
    static void setUp() throws Exception {
        CliHarness init = new CliHarness(root);
        assertThat(init.run("init", "p").exitCode()).isZero();
        Path dir = root.resolve("p");
        CliHarness mlv = new CliHarness(dir);
        model = new byte[SIZE];
        new Random(42).nextBytes(model);
        Files.createDirectories(dir.resolve("models"));
        Files.createDirectories(dir.resolve("metrics"));
        Files.write(dir.resolve("models/model.bin"), model);
        Files.writeString(dir.resolve("metrics/metrics.json"), "{\"accuracy\": 0.93}");
        assertThat(mlv.run("train-commit", "-m", "m").exitCode()).isZero();
        assertThat(mlv.run("promote", "main", "prod", "--create").exitCode()).isZero();
        assertThat(mlv.run("promote", "main", "exp/x", "--create").exitCode()).isZero();
        Files.writeString(root.resolve("secret.txt"), "root:x:0:0\n");
        oid = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(model));
        repo = MlvRepository.open(dir, new Session(Clock.systemUTC(), Map.of()));
        server = MlvServer.start(repo, ServeOptions.defaults());
    }

    @AfterAll
    static void tearDown() {
        server.close();
        repo.close();
    }

    private static HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri().resolve(path));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Sends the request line exactly as written (no client-side normalisation of '..'). */
    private static String raw(String target) throws IOException {
        try (Socket s = new Socket(server.uri().getHost(), server.uri().getPort())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void wholeFileWithEtag() throws Exception {
        HttpResponse<byte[]> r = get("v1/refs/prod/files/models/model.bin");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(model);
        assertThat(r.headers().firstValue("ETag")).contains("\"" + oid + "\"");
        assertThat(r.headers().firstValue("Accept-Ranges")).contains("bytes");
        // a branch whose name has a slash travels with it encoded
        assertThat(get("v1/refs/exp%2Fx/files/models/model.bin").body()).isEqualTo(model);
        // small files come from Git, with the blob id as ETag
        HttpResponse<byte[]> metrics = get("v1/refs/prod/files/metrics/metrics.json");
        assertThat(new String(metrics.body(), StandardCharsets.UTF_8)).isEqualTo("{\"accuracy\": 0.93}");
        assertThat(metrics.headers().firstValue("Content-Type")).contains("application/json");
        HttpResponse<byte[]> part = get("v1/refs/prod/files/metrics/metrics.json", "Range", "bytes=2-9");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(new String(part.body(), StandardCharsets.UTF_8)).isEqualTo("accuracy");
    }

    @Test
    void rangesAreByteExactAndReadOnlyTheChunksNeeded() throws Exception {
        long before = repo.chunkReads();
        HttpResponse<byte[]> mid = get("v1/refs/prod/files/models/model.bin", "Range", "bytes=1000000-1000099");
        long touched = repo.chunkReads() - before;
        assertThat(mid.statusCode()).isEqualTo(206);
        assertThat(mid.headers().firstValue("Content-Range")).contains("bytes 1000000-1000099/" + SIZE);
        assertThat(mid.body()).isEqualTo(Arrays.copyOfRange(model, 1_000_000, 1_000_100));
        // 100 bytes lie in at most 2 chunks (chunks are at least 8 KiB); the file has ~48
        assertThat(touched).isBetween(1L, 2L);

        HttpResponse<byte[]> open = get("v1/refs/prod/files/models/model.bin", "Range", "bytes=" + (SIZE - 10) + "-");
        assertThat(open.statusCode()).isEqualTo(206);
        assertThat(open.body()).isEqualTo(Arrays.copyOfRange(model, SIZE - 10, SIZE));
        HttpResponse<byte[]> suffix = get("v1/refs/prod/files/models/model.bin", "Range", "bytes=-500");
        assertThat(suffix.headers().firstValue("Content-Range")).contains("bytes " + (SIZE - 500) + "-" + (SIZE - 1) + "/" + SIZE);
        assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(model, SIZE - 500, SIZE));
        HttpResponse<byte[]> clipped = get("v1/refs/prod/files/models/model.bin", "Range", "bytes=" + (SIZE - 3) + "-" + (SIZE + 100));
        assertThat(clipped.body()).isEqualTo(Arrays.copyOfRange(model, SIZE - 3, SIZE));

        HttpResponse<byte[]> beyond = get("v1/refs/prod/files/models/model.bin", "Range", "bytes=" + SIZE + "-");
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(beyond.headers().firstValue("Content-Range")).contains("bytes */" + SIZE);
        assertThat(get("v1/refs/prod/files/models/model.bin", "Range", "bytes=-0").statusCode()).isEqualTo(416);
        // a malformed Range header is ignored: the whole file
        assertThat(get("v1/refs/prod/files/models/model.bin", "Range", "bytes=x-y").statusCode()).isEqualTo(200);
    }

    @Test
    void ifRangeWithAnotherVersionsEtagSendsTheWholeFile() throws Exception {
        HttpResponse<byte[]> same = get("v1/refs/prod/files/models/model.bin", "Range", "bytes=10-19",
                "If-Range", "\"" + oid + "\"");
        assertThat(same.statusCode()).isEqualTo(206);
        assertThat(same.body()).isEqualTo(Arrays.copyOfRange(model, 10, 20));
        // the branch moved since the client's first part: never splice two versions
        HttpResponse<byte[]> moved = get("v1/refs/prod/files/models/model.bin", "Range", "bytes=10-19",
                "If-Range", "\"" + "0".repeat(64) + "\"");
        assertThat(moved.statusCode()).isEqualTo(200);
        assertThat(moved.body()).isEqualTo(model);
        HttpResponse<byte[]> dated = get("v1/refs/prod/files/models/model.bin", "Range", "bytes=10-19",
                "If-Range", "Wed, 21 Oct 2015 07:28:00 GMT");
        assertThat(dated.statusCode()).isEqualTo(200);
    }

    @Test
    void aBranchFileNamesItsImmutableCommitUrl() throws Exception {
        HttpResponse<byte[]> r = get("v1/refs/prod/files/models/model.bin");
        String commit = r.headers().firstValue("X-Mlv-Commit").orElseThrow();
        String location = r.headers().firstValue("Content-Location").orElseThrow();
        assertThat(location).isEqualTo("/v1/commits/" + commit + "/files/models/model.bin");

        HttpResponse<byte[]> pinned = get(location.substring(1), "Range", "bytes=0-99");
        assertThat(pinned.statusCode()).isEqualTo(206);
        assertThat(pinned.body()).isEqualTo(Arrays.copyOf(model, 100));
        assertThat(pinned.headers().firstValue("Cache-Control")).contains("public, max-age=31536000, immutable");
        assertThat(pinned.headers().firstValue("Content-Location")).isEmpty();
        assertThat(r.headers().firstValue("Cache-Control")).contains("no-cache");

        assertThat(get("v1/commits/prod/files/models/model.bin").statusCode()).as("a branch name is not a commit id")
                .isEqualTo(404);
        assertThat(get("v1/commits/" + "0".repeat(40) + "/files/models/model.bin").statusCode()).isEqualTo(404);
        assertThat(get("v1/commits/" + commit + "/files/..%2Fsecret.txt").statusCode()).isEqualTo(404);
    }

    @Test
    void headStatesWhatAGetWouldSendWithoutReadingContent() throws Exception {
        long before = repo.chunkReads();
        HttpResponse<byte[]> whole = HTTP.send(HttpRequest.newBuilder(server.uri().resolve("v1/refs/prod/files/models/model.bin"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEmpty();
        assertThat(whole.headers().firstValueAsLong("Content-Length")).hasValue(SIZE);
        assertThat(whole.headers().firstValue("ETag")).contains("\"" + oid + "\"");
        HttpResponse<byte[]> part = HTTP.send(HttpRequest.newBuilder(server.uri().resolve("v1/refs/prod/files/models/model.bin"))
                .header("Range", "bytes=10-19").method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.headers().firstValueAsLong("Content-Length")).hasValue(10);
        assertThat(part.headers().firstValue("Content-Range")).contains("bytes 10-19/" + SIZE);
        assertThat(repo.chunkReads() - before).isZero();
        HttpResponse<byte[]> missing = HTTP.send(HttpRequest.newBuilder(server.uri().resolve("v1/refs/nope/files/x.bin"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEmpty();
    }

    @Test
    void ifNoneMatchGives304() throws Exception {
        HttpResponse<byte[]> r = get("v1/refs/prod/files/models/model.bin", "If-None-Match", "\"" + oid + "\"");
        assertThat(r.statusCode()).isEqualTo(304);
        assertThat(r.body()).isEmpty();
        assertThat(get("v1/refs/prod/files/models/model.bin", "If-None-Match", "\"other\"", "Range", "bytes=0-0").statusCode())
                .isEqualTo(206);
    }

    @Test
    void traversalAndUnknownRefsAre404() throws Exception {
        String[] attempts = {
            "/v1/refs/prod/files/../../../secret.txt",
            "/v1/refs/prod/files/models/../../secret.txt",
            "/v1/refs/prod/files/%2e%2e/%2e%2e/secret.txt",
            "/v1/refs/prod/files/%2E%2E%2F%2E%2E%2Fsecret.txt",
            "/v1/refs/prod/files/models%2f..%2f..%2fsecret.txt",
            "/v1/refs/prod/files/%2Fetc%2Fpasswd",
            "/v1/refs/prod/files//etc/passwd",
            "/v1/refs/prod/files/..%5c..%5csecret.txt",
            "/v1/refs/prod/files/./models/model.bin",
            "/v1/refs/prod/files/%00",
            "/v1/refs/..%2F..%2Fsecret.txt/files/x",
            "/v1/refs/nope/files/models/model.bin",
            "/v1/refs/prod~1/files/models/model.bin",
            "/v1/refs/prod/files/models/missing.bin",
            "/v1/refs/prod/files/models",
        };
        for (String target : attempts) {
            String response = raw(target);
            assertThat(response).as(target).startsWith("HTTP/1.1 404").doesNotContain("root:x");
        }
        // a raw backslash is not legal in a request target: the JDK's server answers 400 before mlv sees it
        assertThat(raw("/v1/refs/prod/files/models\\..\\..\\secret.txt")).startsWith("HTTP/1.1 4").doesNotContain("root:x");
    }

    @Test
    void refsAndMetrics() throws Exception {
        JsonNode refs = new ObjectMapper().readTree(get("v1/refs").body());
        assertThat(refs.get("refs").findValuesAsText("name")).contains("main", "prod", "exp/x");
        JsonNode prod = new ObjectMapper().readTree(get("v1/refs/prod/metrics").body());
        assertThat(prod.get("commit").asText()).hasSize(40);
        assertThat(prod.at("/metrics/accuracy").asText()).isEqualTo("0.93");
        assertThat(get("v1/refs/nope/metrics").statusCode()).isEqualTo(404);
        assertThat(HTTP.send(HttpRequest.newBuilder(server.uri().resolve("v1/refs")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(405);
    }

    @Test
    void tokenIsRequiredWhenConfigured() throws Exception {
        try (MlvServer guarded = MlvServer.start(repo, new ServeOptions("127.0.0.1", 0, "s3cret-token", 2))) {
            URI u = guarded.uri().resolve("v1/refs/prod/files/metrics/metrics.json");
            assertThat(HTTP.send(HttpRequest.newBuilder(u).build(), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(401);
            assertThat(HTTP.send(HttpRequest.newBuilder(u).header("Authorization", "Bearer wrong").build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(401);
            assertThat(HTTP.send(HttpRequest.newBuilder(u).header("Authorization", "Bearer s3cret-token-and-more").build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(401);
            HttpResponse<String> okResponse = HTTP.send(HttpRequest.newBuilder(u).header("Authorization", "Bearer s3cret-token").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(okResponse.statusCode()).isEqualTo(200);
            assertThat(okResponse.body()).contains("accuracy");
        }
    }

    @Test
    void bindsToLoopbackByDefault() {
        assertThat(server.uri().getHost()).isEqualTo("127.0.0.1");
    }
}
