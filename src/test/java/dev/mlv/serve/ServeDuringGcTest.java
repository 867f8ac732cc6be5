package dev.mlv.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlv.cli.CliHarness;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.Session;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long-running reader (mlv serve, the Java API) keeps working while gc repacks the pack its
 * catalog knows the file's chunks in: it finds the pack gone, reloads and reads the new one.
 */
class ServeDuringGcTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    @Test
    void readsDuringAndAfterARepackReturnTheRightBytes() throws Exception {
        assertThat(new CliHarness(root).run("init", "p").exitCode()).isZero();
        Path dir = root.resolve("p");
        CliHarness mlv = new CliHarness(dir).clock(Clock.systemUTC());
        byte[] a = random(600_000, 3);
        ok(mlv, "switch", "--create", "scratch");
        Files.write(dir.resolve("models/model.bin"), a);
        ok(mlv, "train-commit", "-m", "a");
        ok(mlv, "switch", "main");
        byte[] b = new byte[600_000]; // shares half of a: a's pack becomes half garbage once a is gone
        System.arraycopy(a, 0, b, 0, 300_000);
        System.arraycopy(random(300_000, 4), 0, b, 300_000, 300_000);
        Files.write(dir.resolve("models/model.bin"), b);
        ok(mlv, "train-commit", "-m", "b");
        try (Git git = Git.open(dir.toFile())) {
            git.branchDelete().setBranchNames("scratch").setForce(true).call();
        }
        try (Stream<Path> s = Files.walk(dir.resolve(".git/logs"))) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }

        HttpClient http = HttpClient.newHttpClient();
        try (MlvRepository repo = MlvRepository.open(dir, new Session(Clock.systemUTC(), Map.of()));
             MlvServer server = MlvServer.start(repo, ServeOptions.defaults())) {
            HttpRequest get = HttpRequest.newBuilder(server.uri().resolve("v1/refs/main/files/models/model.bin")).build();
            // Reads of b's second half (chunks only b has, in b's own pack) load the catalog, which
            // then lists a's pack too, without opening it: an open file would outlive its deletion.
            HttpRequest tail = HttpRequest.newBuilder(server.uri().resolve("v1/refs/main/files/models/model.bin"))
                    .header("Range", "bytes=400000-400999").build();
            byte[] tailBytes = Arrays.copyOfRange(b, 400_000, 401_000);
            assertThat(http.send(tail, HttpResponse.BodyHandlers.ofByteArray()).body()).isEqualTo(tailBytes);

            AtomicBoolean stop = new AtomicBoolean();
            List<String> failures = new ArrayList<>();
            Thread reader = new Thread(() -> {
                for (int i = 0; i < 500 && !stop.get(); i++) {
                    try {
                        HttpResponse<byte[]> r = http.send(tail, HttpResponse.BodyHandlers.ofByteArray());
                        if (r.statusCode() != 206 || !Arrays.equals(r.body(), tailBytes)) {
                            failures.add("status " + r.statusCode() + ": " + new String(r.body(), 0,
                                    Math.min(200, r.body().length), java.nio.charset.StandardCharsets.UTF_8));
                        }
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
            });
            reader.start();
            JsonNode gc = JSON.readTree(ok(mlv, "gc", "--grace", "0", "--json").stdout());
            stop.set(true);
            reader.join(60_000);
            // a's pack (half unused) and b's are small: both are merged into a new one and deleted
            assertThat(gc.get("merged")).as("the packs the reader knew were rewritten and deleted").hasSize(1);
            assertThat(gc.get("merged").get(0).get("oldPacks")).hasSize(2);
            assertThat(failures).isEmpty();

            // after the repack: the API's channel (chunk by chunk) and HTTP (spans) find a's chunks
            // in the new pack
            try (SeekableByteChannel ch = repo.openChannel("main", "models/model.bin")) {
                ByteBuffer buf = ByteBuffer.allocate(1000);
                ch.position(100_000).read(buf);
                assertThat(buf.array()).isEqualTo(Arrays.copyOfRange(b, 100_000, 101_000));
            }
            HttpResponse<byte[]> whole = http.send(get, HttpResponse.BodyHandlers.ofByteArray());
            assertThat(whole.statusCode()).as(new String(whole.body(), 0, Math.min(300, whole.body().length),
                    java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(200);
            assertThat(whole.body()).isEqualTo(b);
        }
    }

    private static CliHarness.Result ok(CliHarness mlv, String... args) {
        CliHarness.Result r = mlv.run(args);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }
}
