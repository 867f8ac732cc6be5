package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mlv metrics show} and {@code mlv metrics diff}. */
class MetricsCommandsTest {
    @TempDir
    Path dir;

    private ExpRepo repo;

    @BeforeEach
    void twoBranches() throws IOException {
        repo = new ExpRepo(dir);
        repo.commitMetrics("{\"accuracy\": 0.90, \"loss\": 0.30, \"model\": \"cnn\", \"epochs\": 10, \"old\": 1}\n", "baseline");
        repo.branch("exp", null, "{\"accuracy\": 0.92, \"loss\": 0.33, \"model\": \"vit\", \"epochs\": 10, \"new\": 2}\n");
    }

    @Test
    void diffHasEveryStatus() throws IOException {
        JsonNode doc = new ObjectMapper().readTree(repo.ok("metrics", "diff", "main", "exp", "--json").stdout());
        assertThat(doc.get("schema").asText()).isEqualTo("mlv.metrics.diff/1");
        assertThat(doc.get("old").get("ref").asText()).isEqualTo("main");
        assertThat(doc.get("metrics").findValuesAsText("key")).containsExactly("accuracy", "epochs", "loss", "model", "new", "old");
        assertThat(doc.get("metrics").findValuesAsText("status"))
                .containsExactly("BETTER", "SAME", "WORSE", "CHANGED", "ADDED", "REMOVED");
        JsonNode accuracy = doc.get("metrics").get(0);
        assertThat(accuracy.get("absoluteChange").asDouble()).isCloseTo(0.02, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(accuracy.get("relativeChange").asDouble()).isCloseTo(0.0222222, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(doc.get("counts").get("SAME").asInt()).isEqualTo(1);
    }

    @Test
    void diffAsTextAndOnlyChanged() {
        String text = repo.ok("metrics", "diff", "--only-changed", "main", "exp").stdout();
        assertThat(text).contains("old: main (").contains("new: exp (");
        assertThat(text).containsPattern("accuracy\\s+0.9\\s+0.92\\s+\\+0.02\\s+\\+2.2%\\s+BETTER\\s+max");
        assertThat(text).containsPattern("loss\\s+0.3\\s+0.33\\s+\\+0.03\\s+\\+10.0%\\s+WORSE\\s+min");
        assertThat(text).doesNotContain("epochs");
        assertThat(text).contains("1 better, 1 worse, 1 same, 1 added, 1 removed, 1 changed");
    }

    @Test
    void diffWithoutRefsComparesHeadWithTheWorkTree() throws IOException {
        repo.write("metrics/metrics.json", "{\"accuracy\": 0.95, \"loss\": 0.33, \"model\": \"vit\", \"epochs\": 10, \"new\": 2}\n");
        JsonNode doc = new ObjectMapper().readTree(repo.ok("metrics", "diff", "--json", "--only-changed").stdout());
        assertThat(doc.get("old").get("ref").asText()).isEqualTo("HEAD");
        assertThat(doc.get("new").get("ref").asText()).isEqualTo("(work tree)");
        assertThat(doc.get("new").get("commit").isNull()).isTrue();
        assertThat(doc.get("metrics").findValuesAsText("key")).containsExactly("accuracy");
    }

    @Test
    void showOneColumnPerRef() throws IOException {
        JsonNode doc = new ObjectMapper().readTree(repo.ok("metrics", "show", "main", "exp", "--json").stdout());
        assertThat(doc.get("schema").asText()).isEqualTo("mlv.metrics.show/1");
        assertThat(doc.get("sources").findValuesAsText("ref")).containsExactly("main", "exp");
        JsonNode newKey = doc.get("metrics").get(4);
        assertThat(newKey.get("key").asText()).isEqualTo("new");
        assertThat(newKey.get("values").toString()).isEqualTo("[null,2]");
        String text = repo.ok("metrics", "show").stdout();
        assertThat(text).containsPattern("(?m)^loss\\s+0.33\\s+min \\(default: name has 'loss'\\)$");
    }

    @Test
    void directionsComeFromTheConfiguration() throws IOException {
        repo.write(".mlv/config.json", "{\"version\": 1, \"metrics\": {\"directions\": {\"loss\": \"max\"}}}\n");
        JsonNode doc = new ObjectMapper().readTree(repo.ok("metrics", "diff", "main", "exp", "--json").stdout());
        JsonNode loss = doc.get("metrics").get(2);
        assertThat(loss.get("status").asText()).isEqualTo("BETTER");
        assertThat(loss.get("directionRule").asText()).isEqualTo("configured: loss");
    }

    @Test
    void missingRefIsExit5() {
        CliHarness.Result r = repo.mlv.run("metrics", "diff", "main", "nope");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.stderr()).contains("ref 'nope' not found");
        assertThat(repo.mlv.run("metrics", "show", "nope").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    }
}
