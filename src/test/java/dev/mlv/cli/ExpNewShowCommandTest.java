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
    void showWithoutRunRecordSaysSo() {
        String text = repo.ok("exp", "show", "main").stdout();
        assertThat(text).contains("run      no run record (logs/run.json is not in this commit)");
        assertThat(text).contains("large files  none");
    }

    @Test
    void showOfAMissingRefIsExit5() {
        CliHarness.Result r = repo.mlv.run("exp", "show", "no-such-branch");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.stderr()).isEqualTo("mlv: ref 'no-such-branch' not found; list branches with 'mlv exp list'\n");
    }
}
