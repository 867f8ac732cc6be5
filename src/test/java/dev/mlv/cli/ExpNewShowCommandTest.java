package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mlv exp new} and {@code mlv exp show}. */
class ExpNewShowCommandTest {
    @TempDir
    Path dir;

    private ExpRepo repo;

    @BeforeEach
    void baseline() throws IOException {
        repo = new ExpRepo(dir);
        repo.commitMetrics("{\"accuracy\": 0.90, \"loss\": 0.30}\n", "baseline");
    }

    @Test
    void newBranchFromHeadKeepsUncommittedWork() throws IOException {
        repo.write("src/train.py", "print('wip')\n");
        CliHarness.Result r = repo.ok("exp", "new", "lr-3e-4");
        assertThat(r.stdout()).startsWith("switched to a new experiment branch 'lr-3e-4' at ");
        assertThat(Files.readString(dir.resolve("src/train.py"))).contains("wip");
        JsonNode list = new ObjectMapper().readTree(repo.ok("exp", "list", "--json").stdout());
        assertThat(list.get("current").asText()).isEqualTo("lr-3e-4");
    }

    @Test
    void newBranchFromAnotherRefChecksItOut() throws IOException {
        repo.branch("exp-a", null, "{\"accuracy\": 0.95}\n");
        JsonNode r = new ObjectMapper().readTree(repo.ok("exp", "new", "--json", "exp-b", "--from", "main").stdout());
        assertThat(r.get("schema").asText()).isEqualTo("mlv.exp.new/1");
        assertThat(r.get("previousBranch").asText()).isEqualTo("exp-a");
        assertThat(r.get("workTreeChanged").asBoolean()).isTrue();
        assertThat(Files.readString(dir.resolve("metrics/metrics.json"))).contains("0.90");
    }

    @Test
    void existingBranchIsRefusedWithExit2() {
        CliHarness.Result r = repo.mlv.run("exp", "new", "main");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.stderr()).contains("branch 'main' already exists");
    }

    @Test
    void uncommittedChangesThatWouldBeLostAreRefusedWithExit4() throws IOException {
        repo.branch("exp-a", null, "{\"accuracy\": 0.95}\n");
        repo.write("metrics/metrics.json", "{\"accuracy\": 0.97}\n");
        CliHarness.Result r = repo.mlv.run("exp", "new", "exp-b", "--from", "main");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(r.stderr()).contains("uncommitted changes (metrics/metrics.json)").contains("Nothing was changed");
        assertThat(Files.readString(dir.resolve("metrics/metrics.json"))).contains("0.97");
        assertThat(repo.mlv.run("exp", "show", "exp-b").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void missingFromRefIsExit5() {
        CliHarness.Result r = repo.mlv.run("exp", "new", "x", "--from", "nope");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.stderr()).contains("ref 'nope' not found");
    }

    @Test
    void showWithRunRecordMetricsAndLargeFiles() throws IOException {
        repo.write("logs/run.json", "{\"version\": 1, \"command\": [\"python\", \"train.py\"], \"durationSeconds\": 12.5,"
                + " \"exitCode\": 0, \"codeCommit\": null, \"dataCommit\": \"1f2e3d\"}\n");
        repo.write("models/model.bin", "weights ".repeat(1000));
        repo.ok("train-commit", "-q", "-m", "with a run");
        String text = repo.ok("exp", "show").stdout();
        assertThat(text).contains("run      python train.py (exit 0, 12.5 s)").contains("data: 1f2e3d");
        assertThat(text).containsPattern("accuracy\\s+0.9\\s+max \\(default: name has 'accuracy'\\)");
        assertThat(text).containsPattern("models/model.bin\\s+7.81 KiB\\s+sha256:[0-9a-f]{64}");

        JsonNode doc = new ObjectMapper().readTree(repo.ok("exp", "show", "main", "--json").stdout());
        assertThat(doc.get("schema").asText()).isEqualTo("mlv.exp.show/1");
        assertThat(doc.get("run").get("command").toString()).isEqualTo("[\"python\",\"train.py\"]");
        assertThat(doc.get("run").get("exitCode").asInt()).isZero();
        assertThat(doc.get("metrics").get(1).get("direction").asText()).isEqualTo("min");
        assertThat(doc.get("largeFiles").get(0).get("size").asLong()).isEqualTo(8000);
    }

    @Test
    void showSummarisesTrainingCurvesAndWarnsOnceAboutMalformedRows() throws IOException {
        repo.write("metrics/train.jsonl", """
                {"step": 0, "loss": 2.0, "accuracy": 0.2}
                {"step": 100, "loss": 0.5, "accuracy": 0.8, "phase": "train"}
                not json
                {"step": 200, "loss": 0.7, "accuracy": 0.75}
                {"step": "x"}
                """);
        repo.ok("train-commit", "-q", "-m", "with curves");

        CliHarness.Result r = repo.ok("exp", "show");
        assertThat(r.stdout()).contains("curves\n")
                .containsPattern("metrics/train.jsonl\\s+train.loss\\s+3\\s+0.7\\s+200\\s+0.5\\s+100\\s+min \\(default: name has 'loss'\\)")
                .containsPattern("metrics/train.jsonl\\s+train.accuracy\\s+3\\s+0.75\\s+200\\s+0.8\\s+100\\s+max");
        assertThat(r.stderr()).isEqualTo("mlv: warning: metrics/train.jsonl:3: row is not valid JSON at column 1:"
                + " Unrecognized token 'not': was expecting (JSON String, Number (or 'NaN'/'+INF'/'-INF'), Array, Object or token 'null', 'true' or 'false');"
                + " 2 malformed rows skipped in all\n");

        JsonNode doc = new ObjectMapper().readTree(repo.ok("exp", "show", "--json").stdout());
        JsonNode curve = doc.get("curves").get(0);
        assertThat(curve.get("file").asText()).isEqualTo("metrics/train.jsonl");
        assertThat(curve.get("rows").asLong()).isEqualTo(3);
        assertThat(curve.get("malformedRows").asLong()).isEqualTo(2);
        assertThat(curve.get("warning").asText()).startsWith("metrics/train.jsonl:3: ");
        JsonNode loss = curve.get("columns").get(1);
        assertThat(loss.get("key").asText()).isEqualTo("train.loss");
        assertThat(loss.get("direction").asText()).isEqualTo("min");
        assertThat(loss.get("last").toString()).isEqualTo("{\"step\":200,\"value\":0.7}");
        assertThat(loss.get("best").toString()).isEqualTo("{\"step\":100,\"value\":0.5}");
        assertThat(loss.has("steps")).as("exp show summarises, it does not list points").isFalse();
    }

    @Test
    void showWithoutRunRecordSaysSo() {
        String text = repo.ok("exp", "show", "main").stdout();
        assertThat(text).contains("run      no run record (logs/run.json is not in this commit)");
        assertThat(text).contains("large files  none").contains("curves   none (no metrics/*.jsonl)");
    }

    @Test
    void showOfAMissingRefIsExit5() {
        CliHarness.Result r = repo.mlv.run("exp", "show", "no-such-branch");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.stderr()).isEqualTo("mlv: ref 'no-such-branch' not found; list branches with 'mlv exp list'\n");
    }
}
