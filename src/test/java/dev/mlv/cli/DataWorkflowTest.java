package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlv.testing.Slow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data as a submodule end to end: a data repository that is itself an mlv repository with a CSV
 * snapshot stored as a large file; data add, train, more data, retrain, reproduce.
 */
@Slow
class DataWorkflowTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Deterministic training: reads data/, writes metrics and a model derived from it. */
    static final String TRAIN = """
            set -e
            rows=$(awk 'NR>1' data/data.csv | wc -l | tr -d ' ')
            sum=$(awk -F, 'NR>1 {s+=$2} END {print s}' data/data.csv)
            mkdir -p metrics models
            printf '{"rows": %d, "sum": %s}\\n' "$rows" "$sum" > metrics/metrics.json
            printf 'weights rows=%d sum=%s\\n' "$rows" "$sum" > models/model.bin
            """;

    @TempDir
    Path root;
    Path data;
    Path proj;
    CliHarness mlv;
    CliHarness inData;

    @BeforeEach
    void setUp() throws IOException {
        CliHarness atRoot = new CliHarness(root);
        ok(atRoot, "init", "datasets");
        ok(atRoot, "init", "proj");
        data = root.resolve("datasets");
        proj = root.resolve("proj");
        inData = new CliHarness(data);
        mlv = new CliHarness(proj);
        ok(inData, "track", "*.csv");
        Files.writeString(data.resolve("data.csv"), "id,value\n1,10\n2,20\n3,30\n");
        ok(inData, "train-commit", "-m", "snapshot 1");
    }

    static CliHarness.Result ok(CliHarness h, String... args) {
        CliHarness.Result r = h.run(args);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }

    private CliHarness.Result ok(String... args) {
        return ok(mlv, args);
    }

    private String head(Path repo, String rev) throws Exception {
        try (Git git = Git.open(repo.toFile())) {
            return git.getRepository().resolve(rev).name();
        }
    }

    private String message(String rev) throws Exception {
        try (Git git = Git.open(proj.toFile()); RevWalk walk = new RevWalk(git.getRepository())) {
            return walk.parseCommit(git.getRepository().resolve(rev)).getFullMessage();
        }
    }

    private String blob(String rev, String path) throws Exception {
        try (Git git = Git.open(proj.toFile()); RevWalk walk = new RevWalk(git.getRepository())) {
            RevCommit c = walk.parseCommit(git.getRepository().resolve(rev));
            try (TreeWalk tw = TreeWalk.forPath(git.getRepository(), path, c.getTree())) {
                return new String(git.getRepository().open(tw.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    @Test
    void addTrainRetrainAndReproduce() throws Exception {
        String snapshot1 = head(data, "HEAD");
        // the data repository stores the CSV as a pointer; the submodule gets the real content
        assertThat(Files.readString(data.resolve(".git/mlv/store/config.json"))).isNotEmpty();
        CliHarness.Result added = ok("--json", "data", "add", "../datasets");
        JsonNode doc = JSON.readTree(added.stdout());
        assertThat(doc.get("commit").asText()).isEqualTo(snapshot1);
        assertThat(doc.get("largeFiles").asInt()).isEqualTo(1);
        assertThat(doc.get("copiedFiles").asInt()).isEqualTo(1);
        assertThat(Files.readString(proj.resolve("data/data.csv"))).startsWith("id,value\n1,10");
        assertThat(Files.readString(proj.resolve(".gitmodules"))).contains("path = data").contains("branch = main");

        Files.writeString(proj.resolve("src/train.sh"), TRAIN);
        ok("train-commit", "-m", "baseline", "--run", "--", "sh", "src/train.sh");
        assertThat(message("main")).contains("Mlv-Data: " + snapshot1).contains("Mlv-Metrics: rows=3 sum=60");
        assertThat(JSON.readTree(blob("main", "logs/run.json")).get("dataCommit").asText()).isEqualTo(snapshot1);
        assertThat(ok("status").stdout()).contains("Data (data): pinned " + snapshot1.substring(0, 12))
                .contains("checked out at the pinned commit");

        // more data in the data repository
        Files.writeString(data.resolve("data.csv"), "id,value\n1,10\n2,20\n3,30\n4,40\n5,50\n");
        ok(inData, "train-commit", "-m", "snapshot 2");
        String snapshot2 = head(data, "HEAD");
        JsonNode state = JSON.readTree(ok("--json", "data", "status", "--fetch").stdout());
        assertThat(state.get("pinned").asText()).isEqualTo(snapshot1);
        assertThat(state.get("behind").asInt()).isEqualTo(1);
        assertThat(state.get("dirty").asBoolean()).isFalse();

        // without a Git identity retrain refuses before it makes the branch or moves the data
        String before = head(proj, "HEAD");
        CliHarness.Result anonymous = new CliHarness(proj).withoutIdentityVariables().run("retrain", "main", "more-data");
        assertThat(anonymous.exitCode()).as(anonymous.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(anonymous.stderr()).startsWith("mlv: author identity unknown");
        assertThat(head(proj, "HEAD")).isEqualTo(before);
        assertThat(head(proj.resolve("data"), "HEAD")).isEqualTo(snapshot1);
        try (Git git = Git.open(proj.toFile())) {
            assertThat(git.getRepository().exactRef("refs/heads/more-data")).isNull();
        }

        ok("retrain", "main", "more-data");
        assertThat(head(proj, "HEAD")).isEqualTo(head(proj, "refs/heads/more-data"));
        assertThat(message("more-data")).startsWith("Retrain main with data " + snapshot2.substring(0, 12))
                .contains("Mlv-Data: " + snapshot2).contains("Mlv-Metrics: rows=5 sum=150");
        assertThat(JSON.readTree(blob("more-data", "logs/run.json")).get("dataCommit").asText()).isEqualTo(snapshot2);
        assertThat(head(proj.resolve("data"), "HEAD")).isEqualTo(snapshot2);
        assertThat(message("main")).contains("Mlv-Data: " + snapshot1);
        // metrics diff and exp list show both data versions
        JsonNode diff = JSON.readTree(ok("--json", "metrics", "diff", "main", "more-data").stdout());
        assertThat(diff.get("old").get("data").asText()).isEqualTo(snapshot1);
        assertThat(diff.get("new").get("data").asText()).isEqualTo(snapshot2);
        assertThat(ok("metrics", "diff", "main", "more-data").stdout()).contains("data " + snapshot1.substring(0, 12))
                .contains("data " + snapshot2.substring(0, 12));
        assertThat(ok("exp", "list", "--data").stdout()).contains("DATA").contains(snapshot2.substring(0, 12));

        // main reproduces with its own, older data, and the work tree stays as it is
        CliHarness.Result repro = ok("reproduce", "main");
        assertThat(repro.stdout()).contains("rows").contains("models/model.bin").contains("same").contains("reproduced");
        assertThat(Files.readString(proj.resolve("data/data.csv"))).contains("5,50");
        assertThat(ok("--json", "status").stdout()).contains("\"clean\" : true");
        ok("reproduce", "more-data", "--tolerance", "0");

        // a training run that is not deterministic does not reproduce
        Files.writeString(proj.resolve("src/train.sh"), TRAIN
                + "noise=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')\n"
                + "printf '{\"rows\": %d, \"sum\": %s, \"noise\": %s}\\n' \"$rows\" \"$sum\" \"$noise\" > metrics/metrics.json\n");
        ok("train-commit", "-m", "noisy", "--run", "--", "sh", "src/train.sh");
        CliHarness.Result noisy = mlv.run("reproduce", "HEAD", "--keep");
        assertThat(noisy.exitCode()).as(noisy.toString()).isEqualTo(3);
        assertThat(noisy.stdout()).containsPattern("noise\\s+\\d+\\s+\\d+\\s+\\S+\\s+NO").contains("NOT reproduced");
        String kept = noisy.stdout().lines().filter(l -> l.startsWith("kept: ")).findFirst().orElseThrow().substring(6);
        assertThat(Path.of(kept).resolve("data/data.csv")).hasContent("id,value\n1,10\n2,20\n3,30\n4,40\n5,50");
        assertThat(Path.of(kept).resolve("models/model.bin")).hasContent("weights rows=5 sum=150");
        // with a tolerance covering the noise it passes
        CliHarness.Result tolerated = mlv.run("reproduce", "HEAD", "--tolerance", "noise=5000000000", "--tolerance", "0.5%");
        assertThat(tolerated.exitCode()).as(tolerated.toString()).isZero();
        assertThat(mlv.run("reproduce", "HEAD~3").exitCode()).isEqualTo(5);
        Scratch.delete(Path.of(kept));
    }

    @Test
    void switchMovesTheDataSubmoduleToTheBranchsPinnedCommit() throws Exception {
        String snapshot1 = head(data, "HEAD");
        ok("data", "add", "../datasets");
        Files.writeString(proj.resolve("src/train.sh"), TRAIN);
        ok("train-commit", "-m", "baseline", "--run", "--", "sh", "src/train.sh");
        Files.writeString(data.resolve("data.csv"), "id,value\n1,10\n2,20\n3,30\n4,40\n5,50\n");
        ok(inData, "train-commit", "-m", "snapshot 2");
        String snapshot2 = head(data, "HEAD");
        ok("retrain", "main", "more-data");
        assertThat(head(proj.resolve("data"), "HEAD")).isEqualTo(snapshot2);

        JsonNode back = JSON.readTree(ok("--json", "switch", "main").stdout());
        assertThat(back.get("data").get("from").asText()).isEqualTo(snapshot2);
        assertThat(back.get("data").get("to").asText()).isEqualTo(snapshot1);
        assertThat(head(proj.resolve("data"), "HEAD")).isEqualTo(snapshot1);
        assertThat(proj.resolve("data/data.csv")).hasContent("id,value\n1,10\n2,20\n3,30\n");
        assertThat(ok("--json", "status").stdout()).contains("\"clean\" : true");
        // the branch's run reproduces in place: same data, same model
        ok("reproduce", "main");

        // uncommitted changes in data/ refuse the switch and change nothing
        Files.writeString(proj.resolve("data/data.csv"), "id,value\n9,90\n");
        CliHarness.Result refused = mlv.run("switch", "more-data");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.stderr()).contains("data/ has uncommitted changes");
        assertThat(head(proj, "HEAD")).isEqualTo(head(proj, "refs/heads/main"));
        assertThat(proj.resolve("data/data.csv")).hasContent("id,value\n9,90\n");
        Files.writeString(proj.resolve("data/data.csv"), "id,value\n1,10\n2,20\n3,30\n");

        CliHarness.Result forth = ok("switch", "more-data");
        assertThat(forth.stdout()).as(forth.toString()).contains("Data (data/) moved to " + snapshot2.substring(0, 12));
        assertThat(head(proj.resolve("data"), "HEAD")).isEqualTo(snapshot2);
        assertThat(Files.readString(proj.resolve("data/data.csv"))).contains("5,50");
        // a branch at the same pin does not move it
        assertThat(JSON.readTree(ok("--json", "switch", "--create", "copy").stdout()).get("data").isNull()).isTrue();
        // an experiment started from another commit takes that commit's data too
        JsonNode exp = JSON.readTree(ok("--json", "exp", "new", "from-main", "--from", "main").stdout());
        assertThat(exp.get("data").get("to").asText()).isEqualTo(snapshot1);
        assertThat(head(proj.resolve("data"), "HEAD")).isEqualTo(snapshot1);
        assertThat(ok("--json", "status").stdout()).contains("\"clean\" : true");
    }

    @Test
    void aDataRepositoryOnAGitHostBringsItsContentFromItsStoreRemote() throws Exception {
        // The data repository as a team shares it: Git on a host (a bare repository here), large
        // files in a store remote (a directory, as an S3 bucket would be).
        Path dataStore = Files.createDirectories(root.resolve("data-store"));
        Path hosted = root.resolve("datasets.git");
        ok(inData, "store", "remote", "set", "origin", dataStore.toString());
        ok(inData, "train-commit", "-m", "store remote");
        try (Git bare = Git.init().setBare(true).setDirectory(hosted.toFile()).setInitialBranch("main").call()) {
            assertThat(bare.getRepository().isBare()).isTrue();
        }
        ok(inData, "remote", "add", "origin", hosted.toString());
        ok(inData, "push");

        // a bare repository has no mlv store: the content can only come from the store remote
        CliHarness.Result added = ok("--json", "data", "add", hosted.toString());
        assertThat(JSON.readTree(added.stdout()).get("copiedFiles").asInt()).isEqualTo(1);
        assertThat(proj.resolve("data/data.csv")).hasContent("id,value\n1,10\n2,20\n3,30\n");

        // content the store remote lacks: NOT_FOUND, naming the remote, nothing changed
        Files.writeString(data.resolve("data.csv"), "id,value\n7,70\n");
        ok(inData, "train-commit", "-m", "snapshot 2, not pushed to the store");
        try (Git git = Git.open(data.toFile())) {
            git.push().setRemote(hosted.toString()).add("main").call(); // Git only: the content stays local
        }
        CliHarness.Result missing = mlv.run("data", "pull", "--latest");
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(5);
        assertThat(missing.stderr()).contains("data commit").contains("data.csv")
                .contains("the data repository's store remote 'origin'").contains("push it from the data repository");
        assertThat(proj.resolve("data/data.csv")).hasContent("id,value\n1,10\n2,20\n3,30\n");
    }

    /** Test-side cleanup of a kept directory. */
    static final class Scratch {
        static void delete(Path dir) throws IOException {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
