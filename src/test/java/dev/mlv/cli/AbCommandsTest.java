package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlv.core.ab.AbAssign;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mlv ab create, assign, report and conclude end to end. */
class AbCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;
    Path repo;
    CliHarness mlv;

    @BeforeEach
    void setUp() throws IOException {
        assertThat(new CliHarness(root).run("init", "p").exitCode()).isZero();
        repo = root.resolve("p");
        mlv = new CliHarness(repo);
        write("models/model.bin", "model-a");
        write("metrics/metrics.json", "{\"accuracy\": 0.90}");
        ok("train-commit", "-m", "a");
        ok("promote", "main", "prod", "--create");
        ok("switch", "--create", "cand");
        write("models/model.bin", "model-b");
        write("metrics/metrics.json", "{\"accuracy\": 0.91}");
        ok("train-commit", "-m", "b");
        ok("switch", "main");
    }

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

    /** Records a CSV of {@code rows} predictions, {@code ones} of them converted, on a branch. */
    private void recordConversions(String branch, int rows, int ones) throws IOException {
        StringBuilder csv = new StringBuilder("request,converted\n");
        for (int i = 0; i < rows; i++) {
            csv.append(branch).append('-').append(i).append(',').append(i < ones ? 1 : 0).append('\n');
        }
        Path f = root.resolve(branch + ".csv");
        Files.writeString(f, csv);
        ok("record", branch, f.toString(), "--append-to", "monitoring/predictions.csv");
    }

    @Test
    void createAssignReportConclude() throws Exception {
        CliHarness.Result created = ok("ab", "create", "t", "--arm", "A=prod", "--arm", "B=cand", "--weights", "90,10",
                "--metric", "converted");
        assertThat(created.stdout()).contains("refs/mlv/ab/t").contains("90.0%").contains("10.0%");
        try (Git git = Git.open(repo.toFile())) {
            assertThat(git.getRepository().exactRef("refs/mlv/ab/t")).isNotNull();
        }
        assertThat(mlv.run("ab", "create", "t", "--arm", "A=prod", "--arm", "B=cand").exitCode()).isEqualTo(ExitCodes.CONFLICT);

        // assignment: deterministic, and the documented hash
        JsonNode a = JSON.readTree(ok("ab", "assign", "t", "user-1", "--json").stdout());
        assertThat(a.get("bucket").asDouble()).isEqualTo(AbAssign.bucket("t", "user-1"));
        assertThat(a.get("arm").asText()).isEqualTo(a.get("bucket").asDouble() < 0.9 ? "A" : "B");
        assertThat(ok("ab", "assign", "t", "user-1").stdout().strip()).isEqualTo(a.get("arm").asText());

        // 80 of 200 on A, 100 of 200 on B: the two-proportion z-test by hand (see SignificanceTest):
        // pooled p = 0.45, se = sqrt(0.45 * 0.55 * 2/200) = 0.0497494, z = 0.1/se = 2.0101, p = 0.04442.
        recordConversions("prod", 200, 80);
        recordConversions("cand", 200, 100);
        CliHarness.Result report = ok("ab", "report", "t");
        assertThat(report.stdout()).contains("two-proportion-z").contains("p = 0.04442")
                .contains("Verdict: B is higher than A (0.5 vs 0.4), p = 0.04442 < 0.05: significant");
        JsonNode r = JSON.readTree(ok("ab", "report", "t", "--json").stdout());
        assertThat(r.at("/arms/0/count").asLong()).isEqualTo(200);
        assertThat(r.at("/arms/0/mean").asDouble()).isCloseTo(0.4, within(1e-12));
        assertThat(r.at("/arms/1/mean").asDouble()).isCloseTo(0.5, within(1e-12));
        assertThat(r.at("/comparisons/0/statistic").asDouble()).isCloseTo(2.0100756, within(1e-6));
        assertThat(r.at("/comparisons/0/pValue").asDouble()).isCloseTo(0.04442, within(1e-4));
        // at alpha 0.01 the same data is not significant
        assertThat(ok("ab", "report", "t", "--alpha", "0.01").stdout()).contains("no significant difference");

        // conclude: B's branch is promoted into prod through the gated promotion
        assertThat(mlv.run("ab", "conclude", "t", "--winner", "B", "--require", "accuracy>=0.95").exitCode())
                .isEqualTo(ExitCodes.GATE_FAILED);
        assertThat(ok("cat", "prod:models/model.bin").stdout()).isEqualTo("model-a");
        assertThat(ok("ab", "conclude", "t", "--winner", "B").stdout()).contains("Concluded A/B test t: B (cand) won");
        assertThat(ok("cat", "prod:models/model.bin").stdout()).isEqualTo("model-b");
        assertThat(ok("history", "prod").stdout()).contains("#2").contains("from cand");
        assertThat(ok("ab", "assign", "t", "user-1").stdout().strip()).isEqualTo("B");
        assertThat(ok("ab", "report", "t").stdout()).contains("(concluded)");
        assertThat(mlv.run("ab", "conclude", "t", "--winner", "A").exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void reportCountsOnlyRowsRecordedSinceTheArmWasPinned() throws Exception {
        // prod served for a while before the test: 300 rows, none converted
        recordConversions("prod", 300, 0);
        ok("ab", "create", "t", "--arm", "A=prod", "--arm", "B=cand", "--metric", "converted");
        recordConversions("prod", 200, 80);
        recordConversions("cand", 200, 100);
        JsonNode r = JSON.readTree(ok("ab", "report", "t", "--json").stdout());
        assertThat(r.at("/arms/0/count").asLong()).isEqualTo(200);
        assertThat(r.at("/arms/0/olderRows").asLong()).isEqualTo(300);
        assertThat(r.at("/arms/0/rewritten").asBoolean()).isFalse();
        assertThat(r.at("/arms/0/mean").asDouble()).isCloseTo(0.4, within(1e-12));
        assertThat(r.at("/arms/1/count").asLong()).isEqualTo(200);
        assertThat(r.at("/arms/1/olderRows").asLong()).isZero();
        assertThat(r.at("/comparisons/0/pValue").asDouble()).isCloseTo(0.04442, within(1e-4));
        CliHarness.Result text = ok("ab", "report", "t");
        assertThat(text.stdout()).contains("300 older rows from before the test left out").contains("p = 0.04442");
        assertThat(text.stderr()).doesNotContain("warning");

        // a file replaced rather than appended to: which rows are new cannot be told, so all count, with a warning
        Path fresh = root.resolve("fresh.csv");
        Files.writeString(fresh, "request,converted\nx,1\ny,0\nz,1\n");
        ok("record", "prod", fresh.toString(), "--put", "monitoring/predictions.csv");
        JsonNode replaced = JSON.readTree(ok("ab", "report", "t", "--json").stdout());
        assertThat(replaced.at("/arms/0/count").asLong()).isEqualTo(3);
        assertThat(replaced.at("/arms/0/olderRows").asLong()).isZero();
        assertThat(replaced.at("/arms/0/rewritten").asBoolean()).isTrue();
        assertThat(ok("ab", "report", "t").stderr()).contains("warning").contains("replaced, not appended to");
    }

    @Test
    void welchOnAContinuousColumn() throws Exception {
        ok("ab", "create", "lat", "--arm", "A=prod", "--arm", "B=cand", "--file", "monitoring/latency.csv", "--metric", "latency_ms");
        Path a = root.resolve("a.csv");
        Path b = root.resolve("b.csv");
        Files.writeString(a, "id,latency_ms\n1,1\n2,2\n3,3\nx,\n4,4\n5,5\n");
        Files.writeString(b, "id,latency_ms\n1,3\n2,4\n3,5\n4,6\n5,7\n");
        ok("record", "prod", a.toString(), "--put", "monitoring/latency.csv");
        ok("record", "cand", b.toString(), "--put", "monitoring/latency.csv");
        // Welch by hand (SignificanceTest.welchByHand): t = 2, df = 8, p = 1 - 43/(27 sqrt 3) = 0.08052.
        JsonNode r = JSON.readTree(ok("ab", "report", "lat", "--json").stdout());
        assertThat(r.at("/arms/0/skipped").asLong()).isEqualTo(1);
        assertThat(r.at("/comparisons/0/test").asText()).isEqualTo("welch-t");
        assertThat(r.at("/comparisons/0/statistic").asDouble()).isCloseTo(2.0, within(1e-12));
        assertThat(r.at("/comparisons/0/df").asDouble()).isCloseTo(8.0, within(1e-12));
        assertThat(r.at("/comparisons/0/pValue").asDouble()).isCloseTo(1 - 43 / (27 * Math.sqrt(3)), within(1e-12));
        assertThat(ok("ab", "report", "lat").stdout()).contains("Verdict: no significant difference between B and A (p = 0.08052");
    }

    @Test
    void refusals() throws Exception {
        assertThat(mlv.run("ab", "create", "x", "--arm", "A=prod").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(mlv.run("ab", "create", "x", "--arm", "A=prod", "--arm", "B=nope").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(mlv.run("ab", "create", "x", "--arm", "A=prod", "--arm", "B=cand", "--weights", "1").exitCode())
                .isEqualTo(ExitCodes.USAGE);
        assertThat(mlv.run("ab", "assign", "missing", "k").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        ok("ab", "create", "x", "--arm", "A=prod", "--arm", "B=cand");
        assertThat(mlv.run("ab", "report", "x").exitCode()).isEqualTo(ExitCodes.USAGE); // no metric column
        assertThat(mlv.run("ab", "conclude", "x", "--winner", "C").exitCode()).isEqualTo(ExitCodes.USAGE);
        // a winner whose model changed after the test pinned it was not what the test measured
        Path m = root.resolve("m.bin");
        Files.writeString(m, "model-b2");
        ok("record", "cand", m.toString(), "--put", "models/model.bin");
        assertThat(mlv.run("ab", "conclude", "x", "--winner", "B").exitCode()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(ok("cat", "prod:models/model.bin").stdout()).isEqualTo("model-a");
    }
}
