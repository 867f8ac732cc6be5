package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TagBuilder;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One JSON convention for scripts: metric values are JSON numbers in every document, every
 * {@code --json} document names its schema, and with {@code --json} an error is a JSON document
 * on stdout too.
 */
class JsonOutputTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    private Path repo;
    private CliHarness mlv;

    @BeforeEach
    void setUp() throws IOException {
        assertThat(new CliHarness(root).run("init", "p").exitCode()).isZero();
        repo = root.resolve("p");
        mlv = new CliHarness(repo);
        Files.writeString(repo.resolve("models/model.bin"), "model-a");
        Files.writeString(repo.resolve("metrics/metrics.json"), "{\"accuracy\": 0.90, \"loss\": 0.3, \"note\": \"best\"}");
        ok("train-commit", "-m", "a");
    }

    private CliHarness.Result ok(String... args) {
        CliHarness.Result r = mlv.run(args);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }

    private JsonNode json(String... args) throws IOException {
        CliHarness.Result r = mlv.run(args);
        assertThat(r.exitCode()).as(r.toString()).isIn(0, 3);
        return JSON.readTree(r.stdout());
    }

    @Test
    void metricValuesAreNumbersInEveryDocument() throws Exception {
        JsonNode promote = json("--json", "promote", "main", "prod", "--create", "--require", "accuracy>=0.8");
        assertNumbers(promote.get("metrics"));
        assertThat(promote.get("metrics").get("note").asText()).isEqualTo("best");
        assertThat(promote.at("/gates/0/src").isNumber()).as(promote.toString()).isTrue();
        assertThat(promote.at("/gates/0/src").decimalValue()).isEqualByComparingTo("0.9");

        assertNumbers(json("--json", "log").at("/commits/0/metrics"));
        assertNumbers(json("--json", "history", "prod").at("/promotions/0/metrics"));
        JsonNode check = json("--json", "check", "--require", "accuracy>=0.95");
        assertThat(check.at("/gates/0/src").isNumber()).as(check.toString()).isTrue();

        Files.writeString(repo.resolve("metrics/metrics.json"), "{\"accuracy\": 0.93, \"loss\": 0.3, \"note\": \"best\"}");
        JsonNode status = json("--json", "status");
        assertThat(status.at("/metrics/0/old").isNumber()).as(status.toString()).isTrue();
        assertThat(status.at("/metrics/0/now").decimalValue()).isEqualByComparingTo("0.93");
        JsonNode committed = json("--json", "train-commit", "-m", "b").get("metrics");
        assertThat(committed.get("accuracy").decimalValue()).as(committed.toString()).isEqualByComparingTo("0.93");
        assertThat(committed.get("loss").isNumber()).isTrue();

        // the promotion tag's own record (mlv.promotion/2)
        JsonNode record = JSON.readTree(tagMessage("promote/prod/1").substring(tagMessage("promote/prod/1").indexOf('{')));
        assertThat(record.get("schema").asText()).isEqualTo("mlv.promotion/2");
        assertNumbers(record.get("metrics"));
        assertThat(record.at("/gates/0/src").isNumber()).isTrue();
    }

    private static void assertNumbers(JsonNode metrics) {
        assertThat(metrics.get("accuracy").isNumber()).as(metrics.toString()).isTrue();
        assertThat(metrics.get("accuracy").decimalValue()).isEqualByComparingTo("0.9");
        assertThat(metrics.get("loss").isNumber()).as(metrics.toString()).isTrue();
    }

    @Test
    void everyJsonDocumentNamesItsSchema() throws Exception {
        assertThat(json("--json", "status").get("schema").asText()).isEqualTo("mlv.status/1");
        assertThat(json("--json", "log").get("schema").asText()).isEqualTo("mlv.log/1");
        assertThat(json("--json", "exp", "list").get("schema").asText()).isEqualTo("mlv.exp.list/1");
        assertThat(json("--json", "ls-files").get("schema").asText()).isEqualTo("mlv.ls-files/1");
        assertThat(json("--json", "promote", "main", "prod", "--create").get("schema").asText()).isEqualTo("mlv.promote/1");
        assertThat(json("--json", "history", "prod").get("schema").asText()).isEqualTo("mlv.history/1");
        assertThat(json("--json", "remote", "list").get("schema").asText()).isEqualTo("mlv.remote.list/1");
        assertThat(json("--json", "store", "stats").get("schema").asText()).isEqualTo("mlv.store.stats/1");
        assertThat(json("--version", "--json").get("schema").asText()).isEqualTo("mlv.version/1");
        // --json after the command, picked up as an inherited option
        assertThat(json("check", "--require", "loss<1", "--json").get("schema").asText()).isEqualTo("mlv.check/1");
    }

    @Test
    void anErrorIsAJsonDocumentOnStdoutWithJson() throws Exception {
        CliHarness.Result missing = mlv.run("--json", "switch", "nosuch");
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        JsonNode doc = JSON.readTree(missing.stdout());
        assertThat(doc.get("schema").asText()).isEqualTo("mlv.error/1");
        assertThat(doc.at("/error/kind").asText()).isEqualTo("not-found");
        assertThat(doc.at("/error/message").asText()).contains("nosuch");
        assertThat(doc.get("exitCode").asInt()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(missing.stderr()).startsWith("mlv: ");

        // a usage error found while parsing, before --json was read
        CliHarness.Result usage = mlv.run("log", "--no-such-option", "--json");
        assertThat(usage.exitCode()).isEqualTo(ExitCodes.USAGE);
        JsonNode u = JSON.readTree(usage.stdout());
        assertThat(u.get("schema").asText()).isEqualTo("mlv.error/1");
        assertThat(u.at("/error/kind").asText()).isEqualTo("usage");
        assertThat(u.at("/error/message").asText()).contains("--no-such-option");
        assertThat(u.get("exitCode").asInt()).isEqualTo(ExitCodes.USAGE);

        // without --json, stdout stays empty
        assertThat(mlv.run("switch", "nosuch").stdout()).isEmpty();
    }

    /** Tags written before numbers were numbers ({@code mlv.promotion/1}) still read, with numbers out. */
    @Test
    void historyReadsVersion1PromotionRecords() throws Exception {
        ok("promote", "main", "prod", "--create");
        String v1 = Files.readString(Path.of("src/test/resources/golden/json/promotion-record-v1.txt"), StandardCharsets.UTF_8);
        assertThat(v1).contains("\"schema\" : \"mlv.promotion/1\"").contains("\"accuracy\" : \"0.9\"");
        replaceTag("promote/prod/1", v1);

        JsonNode history = json("--json", "history", "prod");
        JsonNode metrics = history.at("/promotions/0/metrics");
        assertThat(metrics.get("accuracy").isNumber()).as(history.toString()).isTrue();
        assertThat(metrics.get("accuracy").decimalValue()).isEqualByComparingTo("0.9");
        assertThat(metrics.get("loss").decimalValue()).isEqualByComparingTo("0.3");
        assertThat(history.at("/promotions/0/source").asText()).isEqualTo("main");
        assertThat(ok("history", "prod").stdout()).contains("accuracy=0.9 loss=0.3");
        // and the next promotion numbers on from it
        Files.writeString(repo.resolve("metrics/metrics.json"), "{\"accuracy\": 0.95}");
        ok("train-commit", "-m", "b");
        assertThat(json("--json", "promote", "main", "prod").get("tag").asText()).isEqualTo("promote/prod/2");
    }

    private void replaceTag(String name, String message) throws IOException {
        try (Repository git = FileRepositoryBuilder.create(repo.resolve(".git").toFile());
             ObjectInserter inserter = git.newObjectInserter()) {
            ObjectId commit = git.resolve("refs/tags/" + name + "^{commit}");
            TagBuilder tag = new TagBuilder();
            tag.setTag(name);
            tag.setObjectId(commit, Constants.OBJ_COMMIT);
            tag.setTagger(new PersonIdent("Old Mlv", "old@example.com", Instant.parse("2025-06-01T00:00:00Z"), ZoneOffset.UTC));
            tag.setMessage(message);
            ObjectId id = inserter.insert(tag);
            inserter.flush();
            RefUpdate update = git.updateRef("refs/tags/" + name);
            update.setNewObjectId(id);
            update.setForceUpdate(true);
            assertThat(update.update()).isEqualTo(RefUpdate.Result.FORCED);
        }
    }

    private String tagMessage(String name) throws IOException {
        try (Repository git = FileRepositoryBuilder.create(repo.resolve(".git").toFile());
             org.eclipse.jgit.revwalk.RevWalk walk = new org.eclipse.jgit.revwalk.RevWalk(git)) {
            return walk.parseTag(git.resolve("refs/tags/" + name)).getFullMessage();
        }
    }
}
