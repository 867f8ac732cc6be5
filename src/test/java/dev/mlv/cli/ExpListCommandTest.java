package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mlv exp list}: rows, markers, order, filters, columns and every output format. */
class ExpListCommandTest {
    /**
     * The golden {@code exp list --json} document. To regenerate after an intended change, run
     * {@code ./mvnw -B test -Dtest=ExpListCommandTest -Dmlv.golden.update=true} and review the diff.
     */
    private static final Path GOLDEN = Path.of("src/test/resources/golden/exp-list.json");

    @TempDir
    Path dir;

    private ExpRepo repo;

    /** main (0.90/0.30), prod from main (0.92/0.25), exp-a (0.95/0.35, f1), broken (invalid JSON); exp-a checked out. */
    @BeforeEach
    void fourBranches() throws IOException {
        repo = new ExpRepo(dir);
        repo.commitMetrics("{\"accuracy\": 0.90, \"loss\": 0.30}\n", "baseline");
        repo.branch("prod", null, "{\"accuracy\": 0.92, \"loss\": 0.25}\n");
        repo.branch("broken", "main", "{\"accuracy\": 0.99, \"loss\": 0.1}\n");
        repo.write("metrics/metrics.json", "{\"accuracy\": 0.9,\n");
        // train-commit refuses invalid metrics, as it should; a plain commit gets them in anyway.
        repo.write("metrics/extra.txt", "x");
        gitCommitAll("break metrics");
        repo.branch("exp-a", "main", "{\"accuracy\": 0.95, \"loss\": 0.35, \"eval\": {\"f1\": 0.7}}\n");
    }

    private void gitCommitAll(String message) throws IOException {
        try (var git = org.eclipse.jgit.api.Git.open(dir.toFile())) {
            git.add().addFilepattern(".").call();
            var who = new org.eclipse.jgit.lib.PersonIdent(CliHarness.AUTHOR_NAME, CliHarness.AUTHOR_EMAIL,
                    CliHarness.NOW, java.time.ZoneOffset.UTC);
            git.commit().setMessage(message).setAuthor(who).setCommitter(who).call();
        } catch (org.eclipse.jgit.api.errors.GitAPIException e) {
            throw new IOException(e);
        }
    }

    private static List<String> names(JsonNode doc) {
        List<String> names = new ArrayList<>();
        doc.get("branches").forEach(b -> names.add(b.get("name").asText()));
        return names;
    }

    private JsonNode json(String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("exp", "list", "--json"));
        all.addAll(List.of(args));
        return new ObjectMapper().readTree(repo.ok(all.toArray(String[]::new)).stdout());
    }

    @Test
    void defaultOrderIsCurrentBranchFirstThenByName() throws IOException {
        JsonNode doc = json();
        assertThat(doc.get("schema").asText()).isEqualTo("mlv.exp.list/1");
        assertThat(names(doc)).containsExactly("exp-a", "broken", "main", "prod");
        assertThat(doc.get("current").asText()).isEqualTo("exp-a");
        JsonNode expA = doc.get("branches").get(0);
        assertThat(expA.get("current").asBoolean()).isTrue();
        assertThat(expA.get("metrics").get("accuracy").decimalValue()).isEqualByComparingTo("0.95");
        assertThat(expA.get("author").asText()).isEqualTo(CliHarness.AUTHOR_NAME);
        assertThat(expA.get("ageSeconds").asLong()).isZero();
    }

    @Test
    void environmentBranchesAndUnreadableMetricsAreMarked() throws IOException {
        JsonNode doc = json();
        JsonNode prod = doc.get("branches").get(3);
        assertThat(prod.get("environment").asBoolean()).isTrue();
        JsonNode broken = doc.get("branches").get(1);
        assertThat(broken.get("error").asText()).contains("metrics/metrics.json is not valid JSON");
        assertThat(broken.get("metrics").size()).isZero();

        CliHarness.Result text = repo.ok("exp", "list");
        assertThat(text.stdout()).containsPattern("(?m)^\\*\\s+exp-a\\s");
        assertThat(text.stdout()).containsPattern("(?m)^!\\s+broken\\s.*!\\s+!\\s+!$");
        assertThat(text.stdout()).contains("prod [env]");
        assertThat(text.stdout()).contains("accuracy (max)").contains("loss (min)");
        assertThat(text.stdout()).doesNotContain("\u001b[");
        assertThat(text.stderr()).contains("warning: branch 'broken': metrics/metrics.json is not valid JSON");
    }

    @Test
    void sortsByAMaxMetricHighestFirstAndAMinMetricLowestFirst() throws IOException {
        assertThat(names(json("--sort", "accuracy"))).containsExactly("exp-a", "prod", "main", "broken");
        assertThat(names(json("--sort", "loss"))).containsExactly("prod", "main", "exp-a", "broken");
        assertThat(names(json("--sort", "eval.f1"))).containsExactly("exp-a", "broken", "main", "prod");
        assertThat(names(json("--sort", "name"))).containsExactly("broken", "exp-a", "main", "prod");
    }

    @Test
    void bestValuesAreReportedPerColumn() throws IOException {
        JsonNode doc = json();
        assertThat(doc.get("columns").findValuesAsText("key")).containsExactly("accuracy", "eval.f1", "loss");
        assertThat(doc.get("columns").get(2).get("direction").asText()).isEqualTo("min");
        assertThat(doc.get("columns").get(2).get("best").decimalValue()).isEqualByComparingTo("0.25");
        assertThat(doc.get("branches").get(3).get("best").toString()).isEqualTo("[\"loss\"]");
    }

    @Test
    void unknownSortKeyIsAUsageErrorListingTheKnownKeys() {
        CliHarness.Result r = repo.mlv.run("exp", "list", "--sort", "acc");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.stderr()).contains("cannot sort by 'acc'").contains("known keys: name, age, accuracy, eval.f1, loss");
    }

    @Test
    void filterKeepsMatchingBranchesAndColumnsPickKeys() throws IOException {
        JsonNode doc = json("--filter", "*r*", "--columns", "loss");
        assertThat(names(doc)).containsExactly("broken", "prod");
        assertThat(doc.get("columns").findValuesAsText("key")).containsExactly("loss");
        assertThat(doc.get("branches").get(1).get("metrics").toString()).isEqualTo("{\"loss\":0.25}");
        assertThat(names(json("--filter", "exp-?", "--filter", "main"))).containsExactly("exp-a", "main");
        CliHarness.Result bad = repo.mlv.run("exp", "list", "--columns", "nope");
        assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void csvHasEveryColumnAndTheError() {
        String csv = repo.ok("exp", "list", "--csv", "--sort", "name").stdout();
        List<String> lines = csv.lines().toList();
        assertThat(lines.get(0)).isEqualTo("branch,current,environment,commit,date,author,accuracy,eval.f1,loss,error");
        assertThat(lines.get(1)).startsWith("broken,false,false,").endsWith(",Test Author,,,,\"metrics/metrics.json is not valid JSON"
                + lines.get(1).substring(lines.get(1).indexOf(" at line")));
        assertThat(lines.get(2)).matches("exp-a,true,false,[0-9a-f]{40},2026-01-02T03:04:05Z,Test Author,0.95,0.7,0.35,");
    }

    @Test
    void markdownBoldsTheBestValues() {
        String md = repo.ok("exp", "list", "--md", "--sort", "name").stdout();
        assertThat(md).startsWith("| branch | commit | age | author | accuracy (max) | eval.f1 (max) | loss (min) |\n|---|---|---|---|---:|---:|---:|\n");
        assertThat(md).contains("| exp-a (current) | `").contains("| **0.95** | **0.7** | 0.35 |");
        assertThat(md).contains("| prod (env) | `").contains("| 0.92 | - | **0.25** |");
        assertThat(md).contains("| broken (metrics unreadable) |");
    }

    @Test
    void onlyOneOutputFormat() {
        assertThat(repo.mlv.run("exp", "list", "--csv", "--md").exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void jsonMatchesTheGoldenFile() throws IOException {
        String actual = repo.ok("exp", "list", "--json").stdout();
        if (Boolean.getBoolean("mlv.golden.update")) {
            Files.createDirectories(GOLDEN.getParent());
            Files.writeString(GOLDEN, actual, StandardCharsets.UTF_8);
        }
        assertThat(actual).isEqualTo(Files.readString(GOLDEN, StandardCharsets.UTF_8));
    }
}
