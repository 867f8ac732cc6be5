package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** reproduce --metrics-only and --ignore: a run whose model bytes differ each time (as on a GPU). */
class ReproduceOptionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Same metrics every run, model bytes that differ every run, plus a deterministic vocabulary file. */
    private static final String TRAIN = """
            set -e
            mkdir -p metrics models
            printf '{"accuracy": 0.9}\\n' > metrics/metrics.json
            od -An -N16 -tx1 /dev/urandom > models/model.bin
            printf 'a\\nb\\n' > models/vocab.txt
            """;

    @TempDir
    Path root;

    @Test
    void modelsThatDifferPassWithMetricsOnlyOrAnIgnoreGlob() throws Exception {
        CliHarness atRoot = new CliHarness(root);
        assertThat(atRoot.run("init", "p").exitCode()).isZero();
        Path repo = root.resolve("p");
        CliHarness mlv = new CliHarness(repo);
        Files.createDirectories(repo.resolve("src"));
        Files.writeString(repo.resolve("src/train.sh"), TRAIN);
        CliHarness.Result trained = mlv.run("train-commit", "-m", "gpu-ish", "--run", "--", "sh", "src/train.sh");
        assertThat(trained.exitCode()).as(trained.toString()).isZero();

        CliHarness.Result strict = mlv.run("reproduce", "HEAD");
        assertThat(strict.exitCode()).as(strict.toString()).isEqualTo(ExitCodes.GATE_FAILED);
        assertThat(strict.stdout()).containsPattern("models/model.bin\\s+\\S+\\s+\\S+\\s+differs\\s+NO");

        CliHarness.Result metricsOnly = mlv.run("reproduce", "HEAD", "--metrics-only");
        assertThat(metricsOnly.exitCode()).as(metricsOnly.toString()).isZero();
        assertThat(metricsOnly.stdout()).containsPattern("models/model.bin\\s+\\S+\\s+\\S+\\s+differs \\(ignored\\)\\s+yes")
                .contains("reproduced");
        JsonNode json = JSON.readTree(mlv.run("--json", "reproduce", "HEAD", "--metrics-only").stdout());
        assertThat(json.get("reproduced").asBoolean()).isTrue();
        for (JsonNode row : json.get("rows")) {
            boolean model = row.get("name").asText().equals("models/model.bin");
            assertThat(row.get("ignored").asBoolean()).as(row.toString()).isEqualTo(model);
        }

        // an ignore glob excuses only the paths it matches
        assertThat(mlv.run("reproduce", "HEAD", "--ignore", "models/*.bin").exitCode()).isZero();
        assertThat(mlv.run("reproduce", "HEAD", "--ignore", "*.bin").exitCode()).isZero();
        assertThat(mlv.run("reproduce", "HEAD", "--ignore", "models/vocab.txt").exitCode()).isEqualTo(ExitCodes.GATE_FAILED);
        assertThat(mlv.run("reproduce", "HEAD", "--ignore", " ").exitCode()).isEqualTo(ExitCodes.USAGE);

        // metrics still decide: a metric outside its tolerance fails even with --metrics-only
        Files.writeString(repo.resolve("src/train.sh"), TRAIN.replace("printf '{\"accuracy\": 0.9}\\n'",
                "printf '{\"accuracy\": 0.%s1}\\n' \"$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')\""));
        CliHarness.Result retrained = mlv.run("train-commit", "-m", "noisy", "--run", "--", "sh", "src/train.sh");
        assertThat(retrained.exitCode()).as(retrained.toString()).isZero();
        CliHarness.Result noisy = mlv.run("reproduce", "HEAD", "--metrics-only");
        assertThat(noisy.exitCode()).as(noisy.toString()).isEqualTo(ExitCodes.GATE_FAILED);
        assertThat(mlv.run("reproduce", "HEAD", "--metrics-only", "--tolerance", "1").exitCode()).isZero();
    }
}
