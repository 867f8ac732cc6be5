package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlv.core.MlvRepository;
import dev.mlv.core.Session;
import dev.mlv.serve.MlvServer;
import dev.mlv.serve.ServeOptions;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Map;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bytes of the JSON mlv writes, byte for byte: {@code --json} output, and the JSON files it
 * writes or commits (run record, promotion record, A/B test, export manifest, config), and the
 * documents {@code mlv serve} answers with. They share
 * one format (two-space indent, {@code "key" : value}, {@code [ ]} for an empty array), and a
 * script or a diff of yesterday's files relies on it. To regenerate after an intended change, run
 * {@code ./mvnw -B test -Dtest=JsonGoldenTest -Dmlv.golden.update=true} and review the diff.
 */
class JsonGoldenTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/json");

    @TempDir
    Path root;

    private Path repo;
    private CliHarness mlv;

    private CliHarness.Result ok(String... args) {
        CliHarness.Result r = mlv.run(args);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }

    private void write(String path, String content) throws IOException {
        Path p = repo.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    private void init() {
        assertThat(new CliHarness(root).run("init", "p").exitCode()).isZero();
        repo = root.resolve("p");
        mlv = new CliHarness(repo);
    }

    @Test
    void outputAndFilesOfTheDailyLoop() throws Exception {
        init();
        assertGolden("config.json", Files.readString(repo.resolve(".mlv/config.json")));
        write("models/model.bin", "model-a");
        write("metrics/metrics.json", "{\"accuracy\": 0.90, \"loss\": 0.3}");
        ok("train-commit", "-m", "a");
        assertGolden("promote.json", ok("--json", "promote", "main", "prod", "--create").stdout());
        assertGolden("promotion-record.txt", tagMessage("promote/prod/1"));
        ok("switch", "--create", "cand");
        write("models/model.bin", "model-b");
        write("metrics/metrics.json", "{\"accuracy\": 0.91, \"loss\": 0.25}");
        ok("train-commit", "-m", "b");
        ok("switch", "main");

        assertGolden("status.json", ok("--json", "status").stdout());
        assertGolden("log.json", ok("--json", "log", "cand").stdout());
        assertGolden("ls-files.json", ok("--json", "ls-files", "cand").stdout());
        assertGolden("history.json", ok("--json", "history", "prod").stdout());
        assertGolden("metrics-diff.json", ok("--json", "metrics", "diff", "prod", "cand").stdout());

        assertGolden("ab-create.json", ok("--json", "ab", "create", "t", "--arm", "A=prod", "--arm", "B=cand",
                "--weights", "90,10", "--metric", "converted").stdout());
        assertGolden("ab.json", blob("refs/mlv/ab/t", "ab.json"));

        ok("export", "prod", "--to", root.resolve("serving/model").toString());
        assertGolden("export-manifest.json", Files.readString(root.resolve("serving/model/.mlv-export.json")));

        try (MlvRepository opened = MlvRepository.open(repo, new Session(Clock.fixed(CliHarness.NOW, ZoneOffset.UTC),
                Map.of()));
             MlvServer server = MlvServer.start(opened, ServeOptions.defaults())) {
            assertGolden("serve-refs.json", get(server, "/v1/refs"));
            assertGolden("serve-metrics.json", get(server, "/v1/refs/cand/metrics"));
            assertGolden("serve-error.json", get(server, "/v1/nothing"));
        }
    }

    private static String get(MlvServer server, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.uri().resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return r.body();
    }

    @Test
    void runRecord() throws Exception {
        init();
        write("models/model.bin", "model-a");
        write("metrics/metrics.json", "{\"accuracy\": 0.90}");
        ok("train-commit", "-m", "a", "--run", "--", "sh", "-c", "echo trained");
        // what depends on the machine and the moment is masked; the format is not
        String record = blob("HEAD", "logs/run.json")
                .replaceAll("(\"(?:workingDirectory|end|os|java|python)\" : )(\"[^\"]*\"|null)", "$1\"<masked>\"")
                .replaceAll("(\"(?:durationSeconds|cpus)\" : )[0-9.E-]+", "$10");
        assertGolden("run-record.json", record);
    }

    private String blob(String rev, String path) throws IOException {
        try (Repository git = FileRepositoryBuilder.create(repo.resolve(".git").toFile());
             RevWalk walk = new RevWalk(git);
             TreeWalk tw = TreeWalk.forPath(git, path, walk.parseCommit(git.resolve(rev)).getTree())) {
            return new String(git.open(tw.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
        }
    }

    private String tagMessage(String tag) throws IOException {
        try (Repository git = FileRepositoryBuilder.create(repo.resolve(".git").toFile());
             RevWalk walk = new RevWalk(git)) {
            return walk.parseTag(git.resolve("refs/tags/" + tag)).getFullMessage();
        }
    }

    private static void assertGolden(String name, String actual) throws IOException {
        Path file = GOLDEN.resolve(name);
        if (Boolean.getBoolean("mlv.golden.update")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(file, actual, StandardCharsets.UTF_8);
        }
        assertThat(actual).as(name).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }
}
