package dev.mlv.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlv.cli.CliHarness;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.Session;
import dev.mlv.testing.RawCommits;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pointer whose size disagrees with its stored content gets an error status, never a bogus length. */
class ServeHostileTest {
    @TempDir
    Path root;

    @Test
    void aPointerWithTheWrongSizeIsAnErrorTheServerCanKeep() throws Exception {
        assertThat(new CliHarness(root).run("init", "p").exitCode()).isZero();
        Path dir = root.resolve("p");
        byte[] model = new byte[100_000];
        new Random(9).nextBytes(model);
        Files.write(dir.resolve("models/model.bin"), model);
        assertThat(new CliHarness(dir).run("train-commit", "-m", "m").exitCode()).isZero();
        String oid = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(model));
        for (long claimed : new long[] {model.length + 1L, 4611686018427387904L}) {
            RawCommits.commit(dir.resolve(".git"), "bad", "main", RawCommits.file("models", "model.bin",
                    "version https://git-lfs.github.com/spec/v1\noid sha256:" + oid + "\nsize " + claimed + "\n"));
            try (MlvRepository repo = MlvRepository.open(dir, new Session(Clock.systemUTC(), Map.of()));
                 MlvServer server = MlvServer.start(repo, ServeOptions.defaults())) {
                HttpClient http = HttpClient.newHttpClient();
                for (String method : new String[] {"GET", "HEAD"}) {
                    for (String range : new String[] {null, "bytes=0-99"}) {
                        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri().resolve("v1/refs/bad/files/models/model.bin"))
                                .method(method, HttpRequest.BodyPublishers.noBody());
                        if (range != null) {
                            b.header("Range", range);
                        }
                        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                        String what = method + " " + range + " claiming " + claimed;
                        assertThat(r.statusCode()).as(what).isEqualTo(500);
                        if (method.equals("GET")) {
                            assertThat(new String(r.body(), StandardCharsets.UTF_8)).as(what).contains("integrity");
                        }
                    }
                }
                // the server goes on serving
                HttpResponse<byte[]> good = http.send(HttpRequest.newBuilder(
                        server.uri().resolve("v1/refs/main/files/models/model.bin")).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(good.body()).isEqualTo(model);
            }
        }
    }
}
